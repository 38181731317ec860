/// One line of an ingest inventory: what a file is, or why it could not be read.
/// Names files by relative path only, never by patient identity.
public struct IngestInventoryRecord: Sendable, Codable, Equatable {
    /// Whether the file was read.
    public enum Status: String, Sendable, Codable { case ok, error }

    public var path: String
    public var status: Status
    public var format: IngestFormat?
    public var modality: String?
    public var rows: Int?
    public var cols: Int?
    public var frames: Int?
    public var transferSyntax: String?
    public var photometric: String?
    public var spacingRowMM: Double?
    public var spacingColMM: Double?
    /// PixelSpacing, ImagerPixelSpacing, TIFFResolution, … or "none".
    public var spacingSource: String?
    public var pixelSHA256: String?
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case path, status, format, modality, rows, cols, frames
        case transferSyntax = "transfer_syntax"
        case photometric
        case spacingRowMM = "spacing_row_mm"
        case spacingColMM = "spacing_col_mm"
        case spacingSource = "spacing_source"
        case pixelSHA256 = "pixel_sha256"
        case error
    }

    /// CSV column order; matches the JSON keys.
    public static let csvColumns = CodingKeys.allColumns

    init(path: String, ingested: IngestedImage) {
        let image = ingested.image
        self.path = path
        status = .ok
        format = ingested.format
        modality = image.modality
        rows = image.rows
        cols = image.columns
        frames = image.frameCount
        transferSyntax = image.transferSyntaxUID
        photometric = ingested.storedPhotometric ?? image.originalPhotometric ?? image.photometric.rawValue
        spacingRowMM = image.spacing?.rowMM
        spacingColMM = image.spacing?.columnMM
        spacingSource = image.spacing?.source.rawValue ?? "none"
        pixelSHA256 = ingested.pixelSHA256
        error = nil
    }

    init(path: String, format: IngestFormat?, error: Error) {
        self.path = path
        status = .error
        self.format = format
        self.error = (error as? DICOMError).map { "\($0.kind.rawValue): \($0.reason)" } ?? String(describing: error)
    }

    var csvFields: [String] {
        func s(_ d: Double?) -> String { d.map { String($0) } ?? "" }
        return [path, status.rawValue, format?.rawValue ?? "", modality ?? "", rows.map(String.init) ?? "",
                cols.map(String.init) ?? "", frames.map(String.init) ?? "", transferSyntax ?? "", photometric ?? "",
                s(spacingRowMM), s(spacingColMM), spacingSource ?? "", pixelSHA256 ?? "", error ?? ""]
    }
}

extension IngestInventoryRecord.CodingKeys {
    static let allColumns: [String] = ([
        .path, .status, .format, .modality, .rows, .cols, .frames, .transferSyntax, .photometric, .spacingRowMM,
        .spacingColMM, .spacingSource, .pixelSHA256, .error,
    ] as [IngestInventoryRecord.CodingKeys]).map(\.rawValue)
}
