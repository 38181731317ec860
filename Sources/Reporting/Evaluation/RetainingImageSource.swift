import Foundation
import Landmarks
import XRayIngest

/// Decodes each file once for the whole report: the dataset loader reads every image for its size and spacing,
/// and this source keeps the decoded pixels so the models and protocols reuse them instead of decoding again.
final class RetainingImageSource: ImageSource, @unchecked Sendable {
    private let upstream: ImageSource
    private let lock = NSLock()
    private var images: [URL: XRayImage] = [:]
    private(set) var decodeCount = 0

    init(upstream: ImageSource) { self.upstream = upstream }

    func image(at url: URL) throws -> XRayImage {
        let key = url.standardizedFileURL
        lock.lock()
        if let kept = images[key] { lock.unlock(); return kept }
        lock.unlock()
        let image = try upstream.image(at: url)
        lock.lock(); images[key] = image; decodeCount += 1; lock.unlock()
        return image
    }

    /// Drops every image not in `keep`, so only the evaluated split stays in memory.
    func retainOnly(_ keep: [URL]) {
        let wanted = Set(keep.map(\.standardizedFileURL))
        lock.lock(); images = images.filter { wanted.contains($0.key) }; lock.unlock()
    }
}
