import Foundation
import XRayIngest
@testable import ContrastProtocols

/// Small images for hand-computed cases.
enum TestImages {
    static func image(_ rows: Int, _ columns: Int, _ pixels: [Float], photometric: Photometric = .monochrome2,
                      spacing: PixelSpacing? = nil, windows: [WindowPreset] = [], voiLUT: VOILookupTable? = nil,
                      valueRange: ClosedRange<Float>? = nil) -> XRayImage {
        XRayImage(rows: rows, columns: columns, pixels: pixels, photometric: photometric, spacing: spacing,
                  windows: windows, voiLUT: voiLUT, valueRange: valueRange)
    }

    /// Runs one protocol made of `steps` on `image`.
    static func run(_ steps: [ProtocolStep], on image: XRayImage) throws -> [Float] {
        try ContrastProtocol(name: "test", description: "", steps: steps).apply(to: image).pixels
    }

    /// A deterministic pseudo-random sequence in [0,1) (64-bit LCG), so tests need no seeds.
    static func noise(_ count: Int, seed: UInt64 = 12345) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
    }
}

/// Asserts two float arrays agree element-wise.
func assertClose(_ a: [Float], _ b: [Float], accuracy: Float = 1e-5, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    guard a.count == b.count else {
        return XCTFail("count \(a.count) ≠ \(b.count) \(message)", file: file, line: line)
    }
    for i in a.indices where !(abs(a[i] - b[i]) <= accuracy) {
        return XCTFail("[\(i)]: \(a[i]) ≠ \(b[i]) \(message)", file: file, line: line)
    }
}

import XCTest

/// A fresh temporary directory per test, removed afterwards.
func makeTemporaryDirectory(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("landmarkkit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}
