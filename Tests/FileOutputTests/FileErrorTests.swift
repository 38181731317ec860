import XCTest
import FileOutput

/// `FileError` and `PathError` are the toolkit's one shape for file errors; each format's error is a use of them.
final class FileErrorTests: XCTestCase {
    private enum SampleKind: String, FileErrorKind { case broken = "broken", missing = "missing" }
    private enum OtherKind: String, FileErrorKind { case broken = "broken" }
    private enum TagA {}
    private enum TagB {}

    func testFileErrorNamesFileKindAndReason() {
        let e = FileError(SampleKind.broken, path: "/data/a.dcm", reason: "bad tag")
        XCTAssertEqual(e.description, "/data/a.dcm: broken: bad tag")
        XCTAssertEqual(e.errorDescription, e.description)
        XCTAssertEqual((e as Error).localizedDescription, e.description)
        XCTAssertNotEqual(e, FileError(SampleKind.missing, path: "/data/a.dcm", reason: "bad tag"))
    }

    func testPathErrorNamesFileAndReason() {
        let e = PathError<TagA>(path: "/out/x.png", reason: "disk full")
        XCTAssertEqual(e.description, "/out/x.png: disk full")
        XCTAssertEqual((e as Error).localizedDescription, e.description)
    }

    /// Catch sites tell formats apart by type, so a different kind or tag must be a different type.
    func testDifferentKindsAndTagsStayDifferentTypes() {
        let fileError: Error = FileError(SampleKind.broken, path: "p", reason: "r")
        XCTAssertTrue(fileError is FileError<SampleKind>)
        XCTAssertFalse(fileError is FileError<OtherKind>)
        let pathError: Error = PathError<TagA>(path: "p", reason: "r")
        XCTAssertTrue(pathError is PathError<TagA>)
        XCTAssertFalse(pathError is PathError<TagB>)
        XCTAssertFalse(pathError is FileWriteError)
    }

    func testAFailedAtomicWriteIsAFileWriteError() {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/x.txt")
        XCTAssertThrowsError(try AtomicFile.write("a", to: url)) { error in
            XCTAssertTrue(error is FileWriteError, "\(type(of: error))")
            XCTAssertTrue("\(error)".hasPrefix(url.path + ": "), "\(error)")
        }
    }
}
