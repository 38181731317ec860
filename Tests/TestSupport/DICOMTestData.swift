import Foundation
import XCTest

/// Locates ../shared next to the repository root and reads its CSV manifests; shared by every test target
/// that reads the shared data sets.
public enum DICOMTestData {
    /// From this file: Tests/TestSupport/<file> → repository root → ../shared.
    public static let shared: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    public static var conformance: URL { shared.appendingPathComponent("data/dicom-conformance") }
    public static var handXRay: URL { shared.appendingPathComponent("data/hand-xray") }

    /// Fails the test (never skips) when the shared data set is missing.
    public static func require(_ folder: URL, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifest.csv").path) { return true }
        XCTFail("shared test data missing: \(folder.path) (expected next to the repository root)", file: file, line: line)
        return false
    }

    /// Rows of a CSV file with a header line, as dictionaries. Handles quoted fields.
    public static func csv(_ url: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [[String]] = []
        var field = "", row: [String] = [], quoted = false
        var chars = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" || c == "\r\n" { row.append(field); field = ""; rows.append(row); row = [] }
            else if c != "\r" { field.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        guard let header = rows.first else { return [] }
        return rows.dropFirst().filter { $0.count == header.count }.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}
