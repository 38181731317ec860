import Foundation
import ParallelWork
import XCTest
import XRayIngest
@testable import ContrastProtocols

/// docs/CONVENTIONS.md, contrast protocols: the mean local standard deviation (7×7) must fall strictly from higher → high →
/// low → lower on every hand-xray radiograph.
final class ProtocolOrderingTests: XCTestCase {
    func testContrastFallsStrictlyFromHigherToLower() throws {
        let rows = try HandXRayData.manifest()
        XCTAssertEqual(rows.count, 112)
        let library = try ProtocolLibrary.embedded()
        let protocols = try ProtocolLibrary.shippedNames.map { try library.named($0) }
        // All 112 files through the DICOM reader (JPEG lossless, RLE, deflated and explicit VR;
        // MONOCHROME1 and rescaled files included), two images at a time.
        let results = UnsafeMutableBufferPointer<Result<[Double], Error>?>.allocate(capacity: rows.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        WorkerPool.shared.forEach(rows.count) { i in
            results[i] = Result {
                let image = try DICOMReader().read(HandXRayData.url(rows[i].id)).image
                return protocols.map { ContrastMeasure.meanLocalStandardDeviation($0.apply(to: image)) }
            }
        }
        var minimumGaps = [Double](repeating: .infinity, count: protocols.count - 1)
        var minimumRatios = minimumGaps
        var sums = [Double](repeating: 0, count: protocols.count)
        for (i, row) in rows.enumerated() {
            let measures = try XCTUnwrap(results[i]).get()
            for k in 0..<(measures.count - 1) {
                XCTAssertGreaterThan(measures[k], measures[k + 1],
                                     "image \(row.id): \(protocols[k].name) \(measures[k]) ≤ \(protocols[k + 1].name) \(measures[k + 1])")
                minimumGaps[k] = min(minimumGaps[k], measures[k] - measures[k + 1])
                minimumRatios[k] = min(minimumRatios[k], measures[k] / measures[k + 1])
            }
            for k in measures.indices { sums[k] += measures[k] }
        }
        let f = { (v: Double) in String(format: "%.4f", v) }
        print("contrast ordering on \(rows.count) images: mean measure "
              + zip(ProtocolLibrary.shippedNames, sums).map { "\($0)=\(f($1 / Double(rows.count)))" }.joined(separator: " ")
              + "; minimum gaps " + minimumGaps.map(f).joined(separator: " ")
              + "; minimum ratios " + minimumRatios.map { String(format: "%.2f", $0) }.joined(separator: " "))
    }
}
