import Foundation

/// Writes inventories as CSV or JSON; a reader of the output never sees a half-written file.
public enum IngestInventoryWriter {
    public static func csv(_ records: [IngestInventoryRecord]) -> String {
        var out = IngestInventoryRecord.csvColumns.joined(separator: ",") + "\n"
        for record in records {
            out += record.csvFields.map(escape).joined(separator: ",") + "\n"
        }
        return out
    }

    public static func json(_ records: [IngestInventoryRecord]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(records)
    }

    public static func writeCSV(_ records: [IngestInventoryRecord], to url: URL) throws {
        try AtomicFileReplacement.write(Data(csv(records).utf8), to: url)
    }

    public static func writeJSON(_ records: [IngestInventoryRecord], to url: URL) throws {
        try AtomicFileReplacement.write(try json(records), to: url)
    }

    private static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Temp file in the destination folder, then rename(2), which replaces atomically on one file system.
enum AtomicFileReplacement {
    static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            throw DICOMError(.writeFailed, path: url.path, reason: "cannot write temporary file: \(error.localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw DICOMError(.writeFailed, path: url.path, reason: "rename into place failed: \(reason)")
        }
    }
}
