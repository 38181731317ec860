import Foundation
import XCTest
import XRayIngest

/// The shared hand-xray set: `<repo>/../shared/data/hand-xray`, found from this file's path.
enum HandXRayData {
    static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/data/hand-xray")
    }

    struct Row {
        var id: String
        var photometric: String
        var transferSyntax: String
    }

    /// manifest.csv rows; fails the test (never skips) when the data is missing.
    static func manifest(file: StaticString = #filePath, line: UInt = #line) throws -> [Row] {
        let url = directory.appendingPathComponent("manifest.csv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("hand-xray data missing: expected \(url.path) (shared/ must sit beside the repository)", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Row(id: f[0], photometric: f[1], transferSyntax: f[2])
        }
    }

    static func url(_ id: String) -> URL { directory.appendingPathComponent("images/\(id).dcm") }
}
