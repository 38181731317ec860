import Foundation

/// The DICOM reader as a scan plug-in.
public struct DICOMIngestReader: IngestFormatReader {
    public var options: DICOMReader.Options
    public init(options: DICOMReader.Options = .init()) { self.options = options }
    public var format: IngestFormat { .dicom }
    public func read(_ url: URL) throws -> IngestedImage {
        let file = try DICOMReader(options: options).read(url)
        return IngestedImage(image: file.image, format: .dicom, pixelSHA256: file.storedSHA256,
                             storedPhotometric: file.header.photometric)
    }
}
