import Foundation

/// One view of every decoded image that `landmark ingest` writes under `previews/<name>/`.
///
/// Ingest knows no contrast protocols: ContrastProtocols makes each protocol library entry a preview, and the
/// command passes them in. That keeps the job beside the scan it drives, below the protocols in the layering.
public protocol IngestPreview: Sendable {
    /// The folder under `previews/`, and the name failure messages give.
    var name: String { get }
    /// Where the definition came from (a file path, or `embedded:<name>`), recorded in `ingest-config.json`.
    var source: String { get }
    /// The definition's full text (a protocol's YAML), recorded so that a run can be reproduced.
    var definition: String { get }
    /// Writes the preview of `image` as `<base>.tif` (16-bit) and `<base>.png` (8-bit); the folder exists.
    func write(_ image: XRayImage, to base: URL) throws
}
