import Foundation
import XCTest

/// Locates ../shared next to the repository root and reads its CSV manifests.
enum DICOMTestData {
    /// From this file: Tests/XRayIngestTests/<file> → repository root → ../shared.
    static let shared: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static var conformance: URL { shared.appendingPathComponent("data/dicom-conformance") }
    static var handXRay: URL { shared.appendingPathComponent("data/hand-xray") }

    /// Fails the test (never skips) when the shared data set is missing.
    static func require(_ folder: URL, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifest.csv").path) { return true }
        XCTFail("shared test data missing: \(folder.path) (expected next to the repository root)", file: file, line: line)
        return false
    }

    /// Rows of a CSV file with a header line, as dictionaries. Handles quoted fields.
    static func csv(_ url: URL) throws -> [[String: String]] {
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

/// min/max/mean in one unchecked pass: debug builds make generic reductions slow on megapixel images.
struct ValueStats {
    var min: Double, max: Double, mean: Double

    static func of(_ values: [Int32]) -> ValueStats? {
        values.withUnsafeBufferPointer { b in
            guard !b.isEmpty else { return nil }
            var lo = b[0], hi = b[0], sum = 0
            for i in 0..<b.count {
                let v = b[i]
                if v < lo { lo = v }
                if v > hi { hi = v }
                sum += Int(v)
            }
            return ValueStats(min: Double(lo), max: Double(hi), mean: Double(sum) / Double(b.count))
        }
    }

    static func of(_ values: [Float]) -> ValueStats? {
        values.withUnsafeBufferPointer { b in
            guard !b.isEmpty else { return nil }
            var lo = b[0], hi = b[0], sum = 0.0
            for i in 0..<b.count {
                let v = b[i]
                if v < lo { lo = v }
                if v > hi { hi = v }
                sum += Double(v)
            }
            return ValueStats(min: Double(lo), max: Double(hi), mean: sum / Double(b.count))
        }
    }
}
