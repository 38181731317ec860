import ClinicalDICOM
import Foundation
import Landmarks
import TestSupport
import XCTest
import XRayIngest
@testable import Inference

/// `landmark infer --dicom-sr --dicom-gsps` end to end on a tiny model: one SR and one GSPS per DICOM input,
/// holding exactly what landmarks.csv says, and patient identity nowhere else.
final class InferenceClinicalObjectsTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Scratch.directory("infer-sr") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// images/a.dcm (spacing), images/sub/c.dcm (no spacing), images/sub/b.tif: both DICOMs carry the patient.
    func runJob(_ kinds: [ClinicalObjectKind], prepare: ((URL) throws -> Void)? = nil) throws -> (InferenceJob.Result, URL) {
        let images = dir.appendingPathComponent("images")
        try ClinicalFixture.writeDICOM(images.appendingPathComponent("a.dcm"))
        try ClinicalFixture.writeDICOM(images.appendingPathComponent("sub/c.dcm"), rows: 70, columns: 90, spacing: nil)
        let values = (0..<(60 * 50)).map { Float($0 % 50) / 50 }
        try TIFFWriter.writeUInt16(normalized: values, rows: 60, columns: 50, to: images.appendingPathComponent("sub/b.tif"))
        try ClinicalFixture.writeModel(to: dir.appendingPathComponent("model"), threshold: 0.001)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try prepare?(out)
        var options = InferenceOptions(model: dir.appendingPathComponent("model"), inputs: [images], output: out)
        options.clinicalObjects = kinds
        options.prefetch = 1
        return (try InferenceJob(options: options).run(), out)
    }

    func testSRsHoldTheLandmarksOfLandmarksCSV() throws {
        let (result, out) = try runJob([.structuredReport, .presentationState])
        XCTAssertEqual(result.summary.dicomObjects?.written, 4, "an SR and a GSPS for each of the two DICOMs")
        XCTAssertEqual(result.summary.dicomObjects?.notDICOM, ["sub/b.tif"])
        XCTAssertEqual(result.summary.dicomObjects?.failures, [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("dicom-sr/sub/b.sr.dcm").path))

        let rows = CSVTable.parse(try String(contentsOf: out.appendingPathComponent("landmarks.csv"), encoding: .utf8)).dropFirst()
        var pointsCompared = 0
        for image in ["a.dcm", "sub/c.dcm"] {
            let sourceUID = try DICOMReader().readHeader(dir.appendingPathComponent("images/\(image)")).sopInstanceUID
            let doc = try StructuredReportReader.read(out.appendingPathComponent(ClinicalObjectKind.structuredReport.relativePath(forImage: image)))
            XCTAssertEqual(doc.referencedSOPInstanceUID, sourceUID)
            XCTAssertEqual(doc.codingSchemeName, "tiny-3")
            XCTAssertEqual(doc.presenceThreshold, 0.001)
            XCTAssertTrue(doc.modelIdentifier?.hasPrefix("small tiny-3 sha256:") == true, "\(doc.modelIdentifier ?? "none")")
            let csv = rows.filter { $0.fields[0] == image }
            XCTAssertEqual(doc.landmarks.map(\.codeValue), csv.map { $0.fields[1] })
            for (l, row) in zip(doc.landmarks, csv) {
                XCTAssertEqual(l.present, row.fields[7] == "1", "\(image) \(l.codeValue)")
                XCTAssertEqual(l.confidence!, Double(row.fields[6])!, accuracy: 1e-4)
                guard l.present else { XCTAssertNil(l.x); continue }
                // The CSV rounds to 1e-4 px, the SR stores 32-bit floats.
                XCTAssertEqual(l.x!, Double(row.fields[2])!, accuracy: 2e-4, "\(image) \(l.codeValue) x")
                XCTAssertEqual(l.y!, Double(row.fields[3])!, accuracy: 2e-4, "\(image) \(l.codeValue) y")
                XCTAssertEqual(l.referencedSOPInstanceUID, sourceUID)
                pointsCompared += 1
            }
        }
        // With τ = 0.001 the random-weight model finds 'right' (peaks 0.006 and 0.002) but not the others (peaks < 0).
        XCTAssertEqual(pointsCompared, 2)
        XCTAssertEqual(rows.filter { $0.fields[7] == "0" }.count, 6)
        let configuration = try JSONDecoder().decode(ResolvedInferenceConfiguration.self,
                                                     from: Data(contentsOf: out.appendingPathComponent("configuration.json")))
        XCTAssertEqual(configuration.clinicalObjects, [.structuredReport, .presentationState])
    }

    func testPatientIdentityIsOnlyInTheClinicalObjects() throws {
        let (_, out) = try runJob([.structuredReport, .presentationState])
        let files = FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        var clinical = 0
        for f in files {
            let relative = String(f.standardizedFileURL.path.dropFirst(out.standardizedFileURL.path.count + 1))
            let isClinical = relative.hasPrefix("dicom-sr/") || relative.hasPrefix("dicom-gsps/")
            clinical += isClinical ? 1 : 0
            let bytes = try Data(contentsOf: f)
            for secret in [ClinicalFixture.patientName, ClinicalFixture.patientID] {
                if isClinical {
                    XCTAssertNotNil(bytes.range(of: Data(secret.utf8)), "\(relative) must carry the patient (\(secret))")
                } else {
                    XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(secret) leaked into \(relative)")
                }
            }
        }
        XCTAssertEqual(clinical, 4)
        XCTAssertGreaterThanOrEqual(files.count, 8, "csv, coco, summary, configuration and the four objects")
    }

    func testDCMTKAcceptsEveryObjectWritten() throws {
        let (_, out) = try runJob([.structuredReport, .presentationState])
        var checked = 0
        for kind in ClinicalObjectKind.allCases {
            let folder = out.appendingPathComponent(kind.folder)
            let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
                .filter { $0.pathExtension == "dcm" }
            XCTAssertEqual(files.count, 2)
            for f in files {
                let tools = kind == .structuredReport ? ["dsrdump", "dsr2xml", "dciodvfy"] : ["dcmpschk", "dciodvfy"]
                for tool in tools {
                    let run = try DCMTKTool.run(tool, [f.path])
                    XCTAssertEqual(run.status, 0, "\(tool) \(f.lastPathComponent): \(run.text)")
                    XCTAssertFalse(run.text.contains("E: ") || run.text.contains("Error"), "\(tool) \(f.lastPathComponent): \(run.text)")
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, 10)
    }

    func testNothingClinicalUnlessAsked() throws {
        let (result, out) = try runJob([])
        XCTAssertNil(result.summary.dicomObjects)
        for kind in ClinicalObjectKind.allCases {
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent(kind.folder).path))
        }
    }

    func testAnObjectThatCannotBeWrittenIsReportedAndTheRunFinishes() throws {
        // A file where the SR folder should be: no SR can be written, the GSPS and every other output still are.
        let (result, out) = try runJob([.structuredReport, .presentationState]) { out in
            try Data("in the way".utf8).write(to: out.appendingPathComponent("dicom-sr"))
        }
        let summary = try XCTUnwrap(result.summary.dicomObjects)
        XCTAssertEqual(summary.written, 2, "both GSPS")
        XCTAssertEqual(summary.failures.map(\.image), ["a.dcm", "sub/c.dcm"])
        XCTAssertTrue(summary.failures.allSatisfy { $0.reason.hasPrefix("dicom-sr not written") }, "\(summary.failures)")
        XCTAssertEqual(result.predictions.count, 3)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("landmarks.csv").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("dicom-gsps/a.gsps.dcm").path))
    }
}
