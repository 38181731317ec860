import ClinicalDICOM
import Foundation
import TestSupport
import XCTest
import XRayIngest

/// DCMTK's own checkers accept what the writers produce, and see in it what was meant: the SR's structure and
/// points (dsrdump, dsr2xml), the GSPS's points and labels (dcmpschk, dcmdump), and the source's patient and
/// study in both.
final class DCMTKAcceptanceTests: XCTestCase {
    var dir: URL!
    var source: URL!
    var imageUID = ""
    override func setUpWithError() throws {
        dir = try Scratch.directory("dcmtk")
        source = dir.appendingPathComponent("image.dcm")
        imageUID = try ClinicalFixture.writeDICOM(source)
    }
    override func tearDownWithError() throws {
        // LDK_KEEP_TEST_OUTPUT=1 keeps the objects for a look with DCMTK or a viewer.
        if ProcessInfo.processInfo.environment["LDK_KEEP_TEST_OUTPUT"] != nil { print("kept \(dir.path)") } else { try? FileManager.default.removeItem(at: dir) }
    }

    func write(_ kind: ClinicalObjectKind, _ findings: LandmarkFindings = ClinicalFixture.findings()) throws -> URL {
        let url = dir.appendingPathComponent("image.\(kind.rawValue).dcm")
        try ClinicalObjectWriter.write(kind, findings, source: source, to: url)
        return url
    }

    func testDsrdumpAcceptsTheSRAndShowsTheMeasurementReport() throws {
        let sr = try write(.structuredReport)
        // Strict reading (no -Ec/-Ee): relationship constraints and item errors would fail it.
        let dump = try DCMTKTool.run("dsrdump", ["+Pl", "+Pu", "+Pt", sr.path])
        XCTAssertEqual(dump.status, 0, dump.text)
        XCTAssertFalse(dump.text.lowercased().contains("error"), dump.text)
        XCTAssertTrue(dump.text.contains("Comprehensive SR"), dump.text)
        XCTAssertTrue(dump.text.contains("Completion Flag     : COMPLETE"), dump.text)
        for expected in ["Imaging Measurement Report", "TID 1500", "Measurement Group", "Image Region", "POINT",
                         "99tiny-3", "Landmark confidence", "Presence threshold", "Absent", "PixelSpacing",
                         "Algorithm Name", "LandmarkKit", "small tiny-3 sha256:00112233445566ff", imageUID] {
            XCTAssertTrue(dump.text.contains(expected), "dsrdump does not show \(expected)")
        }
    }

    func testDsr2xmlAcceptsTheSRAndItsPointsMatch() throws {
        let findings = ClinicalFixture.findings()
        let sr = try write(.structuredReport, findings)
        let xml = try DCMTKTool.run("dsr2xml", [sr.path])
        XCTAssertEqual(xml.status, 0, xml.text)
        let found = findings.landmarks.filter(\.present)
        let points = try SRXML.points(xml.text)
        XCTAssertEqual(points.count, found.count)
        for (p, l) in zip(points, found) {
            XCTAssertEqual(p.0, l.x + 0.5, accuracy: 1e-4)
            XCTAssertEqual(p.1, l.y + 0.5, accuracy: 1e-4)
        }
    }

    func testSRWithoutSpacingSaysSoAndHasNoMillimetres() throws {
        let sr = try write(.structuredReport, ClinicalFixture.findings(spacing: nil))
        let dump = try DCMTKTool.run("dsrdump", [sr.path])
        XCTAssertEqual(dump.status, 0, dump.text)
        XCTAssertTrue(dump.text.contains("\"none\""), dump.text)
        XCTAssertFalse(dump.text.contains("Landmark position along"), "no mm is invented without spacing")
    }

    func testDcmpschkAcceptsTheGSPSWithPointsAndLabels() throws {
        let gsps = try write(.presentationState)
        let check = try DCMTKTool.run("dcmpschk", [gsps.path])
        XCTAssertEqual(check.status, 0, check.text)
        XCTAssertFalse(check.text.contains("Error"), check.text)
        let dump = try DCMTKTool.run("dcmdump", ["+L", gsps.path])
        XCTAssertEqual(dump.status, 0, dump.text)
        XCTAssertTrue(dump.text.contains("GrayscaleSoftcopyPresentationStateStorage"), dump.text)
        XCTAssertEqual(dump.text.components(separatedBy: "[POINT]").count - 1, 2, "one POINT per found landmark")
        XCTAssertTrue(dump.text.contains("FL 12.75\\8 "), "top at DICOM (12.75, 8): \(dump.text)")
        for label in ["[top]", "[left]", "[Not found: right]", "[LANDMARKS]", imageUID] {
            XCTAssertTrue(dump.text.contains(label), "dcmdump does not show \(label)")
        }
    }

    func testIODVerifierFindsNoErrorInEitherObject() throws {
        // dciodvfy checks the whole IOD (modules, types, conditions); it warns about private coding schemes, which
        // are private by design, and about the synthetic source's empty study date.
        for kind in ClinicalObjectKind.allCases {
            let run = try DCMTKTool.run("dciodvfy", [try write(kind).path])
            let errors = run.text.split(separator: "\n").filter { $0.hasPrefix("Error") }
            XCTAssertEqual(errors, [], "\(kind): \(run.text)")
            XCTAssertTrue(run.text.contains(kind == .structuredReport ? "ComprehensiveSR" : "GrayscaleSoftcopyPresentationState"), run.text)
        }
    }

    func testBothObjectsBelongToTheSourcesPatientAndStudy() throws {
        let sourceDump = try DCMTKTool.run("dcmdump", [source.path]).text
        let identity = ["0010,0010", "0010,0020", "0020,000d"] // patient name, ID, study
        XCTAssertEqual(topLevel("0010,0020", sourceDump), "[\(ClinicalFixture.patientID)]")
        for kind in ClinicalObjectKind.allCases {
            let dump = try DCMTKTool.run("dcmdump", [try write(kind).path]).text
            for tag in identity {
                XCTAssertNotNil(topLevel(tag, dump))
                XCTAssertEqual(topLevel(tag, dump), topLevel(tag, sourceDump), "\(kind) (\(tag)) as in the source")
            }
            // A new object in a new series, not the image again.
            for tag in ["0020,000e", "0008,0018"] { XCTAssertNotEqual(topLevel(tag, dump), topLevel(tag, sourceDump), "\(kind) \(tag)") }
        }
    }

    /// The value of a top-level element in dcmdump's output (nested elements are indented).
    func topLevel(_ tag: String, _ dump: String) -> String? {
        dump.split(separator: "\n").first { $0.hasPrefix("(\(tag))") }
            .map { String($0.dropFirst(14).prefix { $0 != "#" }).trimmingCharacters(in: .whitespaces) }
    }
}
