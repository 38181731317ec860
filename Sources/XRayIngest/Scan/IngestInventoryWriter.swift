import FileOutput
import Foundation

/// Writes inventories as CSV or JSON; a reader of the output never sees a half-written file.
public enum IngestInventoryWriter {
    public static func csv(_ records: [IngestInventoryRecord]) -> String {
        var out = IngestInventoryRecord.csvColumns.joined(separator: ",") + "\n"
        for record in records {
            out += CSV.row(record.csvFields) + "\n"
        }
        return out
    }

    public static func json(_ records: [IngestInventoryRecord]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(records)
    }

    public static func writeCSV(_ records: [IngestInventoryRecord], to url: URL) throws {
        try writeAtomically(Data(csv(records).utf8), to: url)
    }

    public static func writeJSON(_ records: [IngestInventoryRecord], to url: URL) throws {
        try writeAtomically(try json(records), to: url)
    }

    private static func writeAtomically(_ data: Data, to url: URL) throws {
        do { try AtomicFile.write(data, to: url) } catch let e as FileWriteError {
            throw DICOMError(.writeFailed, path: url.path, reason: e.reason)
        }
    }
}
