import DetectorModel
import Foundation
import Landmarks
import XCTest
import XRayIngest
@testable import Inference

/// Fixtures shared by the inference tests: a tiny random-weight model directory and small X-ray files.
enum Fixture {
    static let schemaYAML = """
    name: tiny-3
    description: three landmarks for tests
    default_tolerance_mm: 2
    landmarks:
      - name: top
      - name: left
        tolerance_mm: 3
      - name: right
    edges:
      - [top, left]
      - [left, right]
    """


    /// A K=3 small-preset model with random weights, 64×64 input, written with `ModelDirectory.write`.
    @discardableResult
    static func writeModel(to dir: URL, inputChannels: Int = 1, seed: UInt64 = 7, threshold: Double = 0.5) throws -> URL {
        let config = FPNConfig.small(keypoints: 3, inputChannels: inputChannels)
        let net = FPNKeypointNet(config: config, seed: seed)
        let card = ModelCard(preset: "small", network: config, schemaName: "tiny-3", landmarkNames: ["top", "left", "right"],
                             inputWidth: 64, inputHeight: 64, sigma: 2, contrastProtocol: "high", presenceThreshold: threshold)
        try ModelDirectory.write(card: card, network: net, schemaYAML: schemaYAML, to: dir)
        return dir
    }

    /// A smooth synthetic radiograph: a bright blob on a ramp, deterministic in its size.
    static func storedValues(rows: Int, columns: Int) -> [UInt16] {
        (0..<(rows * columns)).map { i in
            let x = Double(i % columns), y = Double(i / columns)
            let dx = x - Double(columns) * 0.4, dy = y - Double(rows) * 0.6
            let blob = exp(-(dx * dx + dy * dy) / 200)
            return UInt16(min(4095, 800 + 6 * x + 3 * y + 2500 * blob))
        }
    }

    static func writeDICOM(_ url: URL, rows: Int = 80, columns: Int = 120, spacing: (Double, Double)? = (0.1, 0.2),
                           patientName: String? = nil, patientID: String? = nil) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let image = DICOMWriter.Image(rows: rows, columns: columns, storedValues: storedValues(rows: rows, columns: columns),
                                      bitsStored: 12, pixelSpacing: spacing.map { (row: $0.0, column: $0.1) },
                                      patientName: patientName, patientID: patientID)
        try DICOMWriter().write(image, to: url)
    }

    static func writeTIFF(_ url: URL, rows: Int = 90, columns: Int = 70) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let v = storedValues(rows: rows, columns: columns).map { Float($0) / 4095 }
        try TIFFWriter.writeUInt16(normalized: v, rows: rows, columns: columns, to: url)
    }

    /// An in-memory calibrated image like the DICOM above.
    static func xray(rows: Int = 80, columns: Int = 120, spacing: PixelSpacing? = nil) -> XRayImage {
        XRayImage(rows: rows, columns: columns, pixels: storedValues(rows: rows, columns: columns).map(Float.init),
                  spacing: spacing, valueRange: 0...4095, bitsStored: 12)
    }
}
