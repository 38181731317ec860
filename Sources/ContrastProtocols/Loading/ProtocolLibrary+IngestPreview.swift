import Foundation
import XRayIngest

/// A library entry is one of `landmark ingest`'s previews: the protocol applied to each decoded image, written as a
/// 16-bit TIFF that keeps the spacing and an 8-bit PNG, in `previews/<protocol name>/`.
extension ProtocolLibrary.Entry: IngestPreview {
    public var name: String { contrastProtocol.name }
    public var definition: String { yaml }

    public func write(_ image: XRayImage, to base: URL) throws {
        let processed = contrastProtocol.apply(to: image)
        try processed.writeTIFF(to: base.appendingPathExtension("tif"))
        try processed.writePNG(to: base.appendingPathExtension("png"))
    }
}
