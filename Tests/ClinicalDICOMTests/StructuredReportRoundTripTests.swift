import ClinicalDICOM
import Foundation
import TestSupport
import XCTest
import XRayIngest

/// An SR written for a synthetic image reads back with the same points, decisions and facts.
final class StructuredReportRoundTripTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Scratch.directory("sr") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testPointsDecisionsAndFactsReadBack() throws {
        let source = dir.appendingPathComponent("image.dcm")
        let imageUID = try ClinicalFixture.writeDICOM(source)
        let findings = ClinicalFixture.findings()
        let url = dir.appendingPathComponent("out/image.sr.dcm")
        let srUID = try ClinicalObjectWriter.write(.structuredReport, findings, source: source, to: url)

        let doc = try StructuredReportReader.read(url)
        XCTAssertEqual(doc.sopClassUID, "1.2.840.10008.5.1.4.1.1.88.33", "Comprehensive SR")
        XCTAssertEqual(doc.sopInstanceUID, srUID)
        XCTAssertEqual(doc.referencedSOPInstanceUID, imageUID)
        XCTAssertEqual(doc.referencedSOPClassUID, "1.2.840.10008.5.1.4.1.1.1.1", "DX for presentation")
        XCTAssertEqual(doc.codingSchemeDesignator, "99tiny-3")
        XCTAssertEqual(doc.codingSchemeName, "tiny-3")
        XCTAssertEqual(doc.algorithmName, "LandmarkKit")
        XCTAssertEqual(doc.algorithmVersion, AlgorithmIdentity.toolkitVersion)
        XCTAssertEqual(doc.modelIdentifier, "small tiny-3 sha256:00112233445566ff")
        XCTAssertEqual(doc.presenceThreshold, 0.5)
        XCTAssertEqual(doc.landmarks.map(\.codeValue), ["top", "left", "right"])
        XCTAssertEqual(doc.landmarks.map(\.present), [true, true, false])
        for (read, written) in zip(doc.landmarks, findings.landmarks) {
            XCTAssertEqual(read.confidence!, written.confidence, accuracy: 1e-9)
            XCTAssertEqual(read.codingSchemeDesignator, "99tiny-3")
            guard written.present else {
                XCTAssertNil(read.x, "a landmark not found has no point")
                continue
            }
            // SCOORD values are 32-bit floats: exact to ~1e-5 px at these sizes.
            XCTAssertEqual(read.x!, written.x, accuracy: 1e-4)
            XCTAssertEqual(read.y!, written.y, accuracy: 1e-4)
            XCTAssertEqual(read.referencedSOPInstanceUID, imageUID)
        }
    }

    func testPixelCentreConventionBecomesDICOMCornerConvention() throws {
        // Toolkit pixel centre (0, 79) is DICOM (0.5, 79.5): dsr2xml shows the stored value, our reader removes it.
        let source = dir.appendingPathComponent("image.dcm")
        try ClinicalFixture.writeDICOM(source)
        let url = dir.appendingPathComponent("image.sr.dcm")
        try ClinicalObjectWriter.write(.structuredReport, ClinicalFixture.findings(), source: source, to: url)
        let xml = try DCMTKTool.run("dsr2xml", [url.path])
        XCTAssertEqual(xml.status, 0, xml.text)
        let points = try SRXML.points(xml.text)
        XCTAssertEqual(points.count, 2)
        XCTAssertEqual(points[1].0, 0.5, accuracy: 1e-6)
        XCTAssertEqual(points[1].1, 79.5, accuracy: 1e-6)
    }

    func testLongSchemaNamesGetDistinctPrivateDesignators() {
        let a = LandmarkCoding.designator(forSchema: "spine-lateral-36")
        let b = LandmarkCoding.designator(forSchema: "spine-lateral-37")
        XCTAssertTrue(a.hasPrefix("99spine-la"))
        XCTAssertLessThanOrEqual(a.count, 16)
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(LandmarkCoding.designator(forSchema: "ceph-19"), "99ceph-19")
        XCTAssertEqual(LandmarkCoding.schemeUID(forSchema: "ceph-19"), LandmarkCoding.schemeUID(forSchema: "ceph-19"))
    }

    func testUnreadableSourceIsNamedAndLeavesNoFile() throws {
        let source = dir.appendingPathComponent("notes.dcm")
        try Data("not a DICOM file".utf8).write(to: source)
        let url = dir.appendingPathComponent("notes.sr.dcm")
        for kind in ClinicalObjectKind.allCases {
            XCTAssertThrowsError(try ClinicalObjectWriter.write(kind, ClinicalFixture.findings(), source: source, to: url)) { error in
                let e = error as? DICOMError
                XCTAssertEqual(e?.path, source.path)
                XCTAssertTrue(e?.reason.contains("source") == true, "\(error)")
            }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(left, ["notes.dcm"], "no object and no temporary file is left behind")
    }

    func testReadingAnImageAsAnSRIsANamedError() throws {
        let source = dir.appendingPathComponent("image.dcm")
        try ClinicalFixture.writeDICOM(source)
        XCTAssertThrowsError(try StructuredReportReader.read(source)) { error in
            XCTAssertEqual((error as? DICOMError)?.path, source.path)
            XCTAssertTrue("\(error)".contains("SR"), "\(error)")
        }
    }
}

/// The SCOORD points of a dsr2xml document, in document order: an independent reader of what was written.
enum SRXML {
    static func points(_ xml: String) throws -> [(Double, Double)] {
        // dsr2xml writes <scoord ...><graphic type="POINT"/><data>x/y</data>… (values separated by ',' or '/').
        var out: [(Double, Double)] = []
        var rest = Substring(xml)
        while let s = rest.range(of: "<scoord") {
            rest = rest[s.upperBound...]
            guard let d0 = rest.range(of: "<data>"), let d1 = rest.range(of: "</data>"), d0.upperBound < d1.lowerBound else { break }
            let numbers = rest[d0.upperBound..<d1.lowerBound].split(whereSeparator: { $0 == "/" || $0 == "," || $0 == " " })
                .compactMap { Double($0) }
            guard numbers.count == 2 else { throw NSError(domain: "SRXML", code: 1, userInfo: [NSLocalizedDescriptionKey: "bad <data>: \(rest[d0.upperBound..<d1.lowerBound])"]) }
            out.append((numbers[0], numbers[1]))
            rest = rest[d1.upperBound...]
        }
        return out
    }
}
