import Foundation
import XRayIngest

/// Reads images with XRayIngest's format readers, choosing by content (DICOM preamble, TIFF byte order) then extension.
public struct IngestImageSource: ImageSource {
    public var readers: [IngestFormat: any IngestFormatReader]

    /// DICOM and TIFF are always available; readers passed here replace them or add formats.
    public init(readers: [any IngestFormatReader] = []) {
        var r: [IngestFormat: any IngestFormatReader] = [.dicom: DICOMIngestReader(), .tiff: TIFFIngestReader()]
        for reader in readers { r[reader.format] = reader }
        self.readers = r
    }

    /// A file no installed reader claims.
    public struct UnsupportedFormat: Error, CustomStringConvertible {
        public var file: String
        public var description: String { "\(file): not a format any installed reader handles" }
    }

    public func image(at url: URL) throws -> XRayImage {
        let handle = try FileHandle(forReadingFrom: url)
        let head = try handle.read(upToCount: 256).map { [UInt8]($0) } ?? []
        try handle.close()
        guard let format = IngestFormat.detect(leadingBytes: head, url: url), let reader = readers[format] else {
            throw UnsupportedFormat(file: url.lastPathComponent)
        }
        return try reader.read(url).image
    }

    /// The usual production source: ingest readers behind the decoded-pixel cache.
    public static func cached(in directory: URL, readers: [any IngestFormatReader] = []) throws -> DecodedImageCache {
        try DecodedImageCache(directory: directory, upstream: IngestImageSource(readers: readers))
    }
}
