import XCTest
import XRayIngest
@testable import ContrastProtocols

/// DESIGN §5: the mean local standard deviation (7×7) must fall strictly from higher → high →
/// low → lower on every hand-xray radiograph.
final class ProtocolOrderingTests: XCTestCase {
    /// All 112 hand-xray files through the DICOM reader (JPEG lossless, RLE, deflated, explicit VR;
    /// MONOCHROME1 and rescaled files included).
    private func images() throws -> [(String, XRayImage)] {
        let rows = try HandXRayData.manifest()
        XCTAssertEqual(rows.count, 112)
        let reader = DICOMReader()
        return try rows.map { ($0.id, try reader.read(HandXRayData.url($0.id)).image) }
    }

    func testContrastFallsStrictlyFromHigherToLower() throws {
        let library = try ProtocolLibrary.embedded()
        let protocols = try ProtocolLibrary.shippedNames.map { try library.named($0) }
        var minimumGaps = [Double](repeating: .infinity, count: protocols.count - 1)
        var sums = [Double](repeating: 0, count: protocols.count)
        let loaded = try images()
        XCTAssertFalse(loaded.isEmpty)
        for (id, image) in loaded {
            let measures = protocols.map { ContrastMeasure.meanLocalStandardDeviation($0.apply(to: image)) }
            for i in 0..<(measures.count - 1) {
                XCTAssertGreaterThan(measures[i], measures[i + 1],
                                     "image \(id): \(protocols[i].name) \(measures[i]) ≤ \(protocols[i + 1].name) \(measures[i + 1])")
                minimumGaps[i] = min(minimumGaps[i], measures[i] - measures[i + 1])
            }
            for i in measures.indices { sums[i] += measures[i] }
        }
        let means = sums.map { $0 / Double(loaded.count) }
        print("contrast ordering on \(loaded.count) images: mean measure \(zip(ProtocolLibrary.shippedNames, means).map { "\($0)=\(String(format: "%.4f", $1))" }.joined(separator: " ")); minimum gaps \(minimumGaps.map { String(format: "%.4f", $0) }.joined(separator: " "))")
    }
}
