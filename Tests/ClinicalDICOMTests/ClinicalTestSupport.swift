import ClinicalDICOM
import DetectorModel
import Foundation
import TestSupport
import XCTest
import XRayIngest

/// Small synthetic inputs for the clinical-object tests: a DICOM with a known patient, a tiny model, and
/// DCMTK's command-line checkers.
enum ClinicalFixture {
    /// The identity the synthetic source carries; it must appear in SR/GSPS objects and nowhere else.
    static let patientName = "DOE^JANE"
    static let patientID = "PID-55821"


    /// An 80×120 12-bit DX image with (row 0.1, column 0.2) mm spacing; returns its SOP Instance UID.
    @discardableResult
    static func writeDICOM(_ url: URL, rows: Int = 80, columns: Int = 120, spacing: (Double, Double)? = (0.1, 0.2)) throws -> String {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let values = (0..<(rows * columns)).map { i -> UInt16 in
            let x = Double(i % columns), y = Double(i / columns)
            let dx = x - Double(columns) * 0.4, dy = y - Double(rows) * 0.6
            return UInt16(min(4095, 800 + 6 * x + 3 * y + 2500 * exp(-(dx * dx + dy * dy) / 200)))
        }
        return try DICOMWriter().write(.init(rows: rows, columns: columns, storedValues: values, bitsStored: 12,
                                             pixelSpacing: spacing.map { (row: $0.0, column: $0.1) },
                                             patientName: patientName, patientID: patientID), to: url)
    }

    static let schemaYAML = """
    name: tiny-3
    description: three landmarks for tests
    default_tolerance_mm: 2
    landmarks:
      - name: top
      - name: left
      - name: right
    edges:
      - [top, left]
    """

    /// A K=3 small-preset model with random weights (seed 7); a low τ lets it find some landmarks.
    static func writeModel(to dir: URL, threshold: Double) throws {
        let config = FPNConfig.small(keypoints: 3, inputChannels: 1)
        let card = ModelCard(preset: "small", network: config, schemaName: "tiny-3", landmarkNames: ["top", "left", "right"],
                             inputWidth: 64, inputHeight: 64, sigma: 2, contrastProtocol: "high", presenceThreshold: threshold)
        try ModelDirectory.write(card: card, network: FPNKeypointNet(config: config, seed: 7), schemaYAML: schemaYAML, to: dir)
    }

    /// Three landmarks: two found (with mm), one not found.
    static func findings(spacing: PixelSpacing? = PixelSpacing(rowMM: 0.1, columnMM: 0.2, source: .pixelSpacing)) -> LandmarkFindings {
        let mm = { (x: Double, y: Double) in spacing.map { (x * $0.columnMM, y * $0.rowMM) } }
        let marks = [
            LandmarkFinding(name: "top", x: 12.25, y: 7.5, confidence: 0.91, present: true, xMM: mm(12.25, 7.5)?.0, yMM: mm(12.25, 7.5)?.1),
            LandmarkFinding(name: "left", x: 0, y: 79, confidence: 0.62, present: true, xMM: mm(0, 79)?.0, yMM: mm(0, 79)?.1),
            LandmarkFinding(name: "right", x: 3, y: 4, confidence: 0.2, present: false),
        ]
        return LandmarkFindings(schemaName: "tiny-3", landmarks: marks, presenceThreshold: 0.5, spacing: spacing,
                                algorithm: AlgorithmIdentity(modelIdentifier: "small tiny-3 sha256:00112233445566ff"))
    }
}

/// The checkers: DCMTK's `dsrdump`, `dsr2xml`, `dcmpschk` and `dcmdump` (Debian's `dcmtk`), and `dciodvfy`, the
/// IOD verifier of Debian's `dicom3tools`; scripts/setup.sh installs both. Without them a test skips, except
/// under CI, where a missing tool is a failure.
enum DCMTKTool {
    struct Output {
        var status: Int32
        var text: String
    }

    /// Runs `name` with `arguments`, stdout and stderr together.
    static func run(_ name: String, _ arguments: [String]) throws -> Output {
        let tool = try RequiredTool.locate(name, package: name == "dciodvfy" ? "dicom3tools" : "dcmtk")
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, text: String(decoding: data, as: UTF8.self))
    }
}
