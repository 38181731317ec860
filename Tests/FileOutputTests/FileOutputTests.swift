import XCTest
import Foundation
@testable import FileOutput

/// Usage: `AtomicFile.write(data, to: url)` for every output the toolkit publishes; `CSV.row` for every CSV line.
final class FileOutputTests: XCTestCase {
    private func scratch() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("fileoutput-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    func testReplacesTheFileAndLeavesNoTemporaries() throws {
        let dir = try scratch(), url = dir.appendingPathComponent("out.csv")
        try AtomicFile.write("first\n", to: url)
        try AtomicFile.write(Data("second\n".utf8), to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "second\n")
        try AtomicFile.write([1, 2, 3], toPath: dir.appendingPathComponent("b.bin").path)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("b.bin")), Data([1, 2, 3]))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["b.bin", "out.csv"])
    }

    /// A writer that fails half-way leaves the old file as it was and no temporary behind.
    func testAFailedWriterChangesNothing() throws {
        let dir = try scratch(), url = dir.appendingPathComponent("model.json")
        try AtomicFile.write("{\"v\":1}", to: url)
        struct Boom: Error {}
        XCTAssertThrowsError(try AtomicFile.write(to: url) { temporary in
            try Data("{\"v\":".utf8).write(to: URL(fileURLWithPath: temporary))
            throw Boom()
        })
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "{\"v\":1}")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.json"])
    }

    func testAMissingDirectoryIsANamedError() {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/x.csv")
        XCTAssertThrowsError(try AtomicFile.write("a", to: url)) { error in
            let e = error as? FileWriteError
            XCTAssertEqual(e?.path, url.path)
            XCTAssertTrue(e?.reason.contains("cannot create a temporary file") == true, "\(error)")
        }
    }

    func testCSVFieldsFollowRFC4180() {
        XCTAssertEqual(CSV.field("plain"), "plain")
        XCTAssertEqual(CSV.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSV.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSV.field("line\nbreak"), "\"line\nbreak\"")
        XCTAssertEqual(CSV.field("cr\ronly"), "\"cr\ronly\"")
        XCTAssertEqual(CSV.field("crlf\r\nline"), "\"crlf\r\nline\"", "\\r\\n is one Swift Character; it must still be quoted")
        XCTAssertEqual(CSV.row(["id", "x,y", ""]), "id,\"x,y\",")
    }
}
