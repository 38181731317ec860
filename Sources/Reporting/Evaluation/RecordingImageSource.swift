import Foundation
import Landmarks
import XRayIngest

/// Passes decodes through and keeps only what the report needs of each file afterwards: how many decodes there
/// were, and each file's SOP Instance UID (SR arms match other systems' predictions by it). Never the pixels.
final class RecordingImageSource: ImageSource, @unchecked Sendable {
    private let upstream: ImageSource
    private let lock = NSLock()
    private var uids: [URL: String] = [:]
    private var decodes = 0

    init(upstream: ImageSource) { self.upstream = upstream }

    func image(at url: URL) throws -> XRayImage {
        let image = try upstream.image(at: url)
        lock.lock()
        decodes += 1
        uids[url.standardizedFileURL] = image.sopInstanceUID
        lock.unlock()
        return image
    }

    /// Files decoded so far, counting every repeat.
    var decodeCount: Int { lock.lock(); defer { lock.unlock() }; return decodes }

    /// The SOP Instance UID of a file decoded before; nil for a file without one (TIFF) or not yet decoded.
    func sopInstanceUID(of url: URL) -> String? {
        lock.lock(); defer { lock.unlock() }
        return uids[url.standardizedFileURL]
    }
}
