import Foundation
import XCTest

/// Helpers that exist once: a second copy is caught here rather than found by the next reader.
final class OneOfEachHelperTests: XCTestCase {
    private let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Paths (relative to Sources/) of Swift files whose text matches `pattern`.
    private func files(matching pattern: String) throws -> [String] {
        let regex = try NSRegularExpression(pattern: pattern)
        var found: [String] = []
        let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let file as URL in walker where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
                found.append(String(file.path.dropFirst(sources.path.count + 1)))
            }
        }
        return found.sorted()
    }

    func testOnlyTheCommandLineSetsEngineThreads() throws {
        XCTAssertEqual(try files(matching: #"Engine\.threads\s*=[^=]"#), ["LandmarkCLI/Support/EngineThreads.swift"])
    }

    /// Every parallel loop outside the engine runs on ParallelWork's pool, which keeps its threads on a busy host.
    func testNoConcurrentPerformOutsideTheWorkerPool() throws {
        XCTAssertEqual(try files(matching: #"concurrentPerform\("#), [])
    }
}
