import XCTest
import TensorEngine
@testable import Training

/// Exact topology matrices of hand-built configurations, all in a 6×8 image (diagonal ‖(6, 8)‖ = 10).
final class TopologyExtractorTests: XCTestCase {
    private func assertMatrix(_ actual: [Double], _ expected: [Double], _ what: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, what, file: file, line: line)
        for (i, (a, e)) in zip(actual, expected).enumerated() {
            XCTAssertEqual(a, e, accuracy: 1e-12, "\(what)[\(i / Int(Double(expected.count).squareRoot())), \(i % Int(Double(expected.count).squareRoot()))]",
                           file: file, line: line)
        }
    }

    func testCollinearPoints() {
        // p0 = (0,0), p1 = (1,0), p2 = (4,0). Distances 1, 4, 3 → Mp off-diagonals 0.9, 0.6, 0.7.
        // c = (5/3, 0): rays to p0 and p1 point left, to p2 right → cos = 1 (0,1) and −1 (0,2), (1,2).
        let m = TopologyMatrices(points: [SIMD2(0, 0), SIMD2(1, 0), SIMD2(4, 0)], width: 6, height: 8)
        assertMatrix(m.planar, [1, 0.9, 0.6,
                                0.9, 1, 0.7,
                                0.6, 0.7, 1], "Mp")
        assertMatrix(m.angular, [1, 1, 0,
                                 1, 1, 0,
                                 0, 0, 1], "Ma")
    }

    func testSquare() {
        // Corners (0,0), (2,0), (2,2), (0,2); c = (1,1). Sides 2 → 1 − 0.2 = 0.8; diagonals 2√2 → 1 − 0.2√2.
        // Adjacent corners are 90° apart seen from c (cos 0 → ½), opposite corners 180° (cos −1 → 0).
        let m = TopologyMatrices(points: [SIMD2(0, 0), SIMD2(2, 0), SIMD2(2, 2), SIMD2(0, 2)], width: 6, height: 8)
        let s = 0.8, d = 1 - 0.2 * 2.0.squareRoot()
        assertMatrix(m.planar, [1, s, d, s,
                                s, 1, s, d,
                                d, s, 1, s,
                                s, d, s, 1], "Mp")
        assertMatrix(m.angular, [1, 0.5, 0, 0.5,
                                 0.5, 1, 0.5, 0,
                                 0, 0.5, 1, 0.5,
                                 0.5, 0, 0.5, 1], "Ma")
    }

    func testOneKeypointAbsent() {
        // Present: p0 = (0,0), p1 = (3,0), p3 = (0,3); p2 absent → row and column 2 are 0.
        // c = (1,1) (mean of the present ones only). Rays: u0 = (−1,−1), u1 = (2,−1), u3 = (−1,2).
        // cos(0,1) = (−2 + 1)/(√2·√5) = −1/√10, cos(0,3) = −1/√10, cos(1,3) = (−2 − 2)/5 = −0.8.
        // Distances 3, 3, 3√2 → Mp 0.7, 0.7, 1 − 0.3√2.
        let m = TopologyMatrices(points: [SIMD2(0, 0), SIMD2(3, 0), nil, SIMD2(0, 3)], width: 6, height: 8)
        let a = 0.5 - 0.5 / 10.0.squareRoot(), far = 1 - 0.3 * 2.0.squareRoot()
        assertMatrix(m.planar, [1, 0.7, 0, 0.7,
                                0.7, 1, 0, far,
                                0, 0, 0, 0,
                                0.7, far, 0, 1], "Mp")
        assertMatrix(m.angular, [1, a, 0, a,
                                 a, 1, 0, 0.1,
                                 0, 0, 0, 0,
                                 a, 0.1, 0, 1], "Ma")
    }

    func testDegenerateAngles() {
        // p1 lies exactly on c = (1,0): its angle with anything but itself is undefined → Ma = ½;
        // p0 and p2 are opposite (cos −1 → 0). A lone present keypoint has Mp = Ma = 1 on its diagonal.
        let m = TopologyMatrices(points: [SIMD2(0, 0), SIMD2(1, 0), SIMD2(2, 0)], width: 6, height: 8)
        assertMatrix(m.angular, [1, 0.5, 0,
                                 0.5, 1, 0.5,
                                 0, 0.5, 1], "Ma")
        let lone = TopologyMatrices(points: [nil, SIMD2(4, 4)], width: 6, height: 8)
        assertMatrix(lone.planar, [0, 0, 0, 1], "Mp lone")
        assertMatrix(lone.angular, [0, 0, 0, 1], "Ma lone")
        let none = TopologyMatrices(points: [nil, nil], width: 6, height: 8)
        assertMatrix(none.planar + none.angular, [Double](repeating: 0, count: 8), "all absent")
    }

    func testHeatmapCentroidsAndTensorLayout() {
        // 4×4 maps. Channel 0: a single pixel 1 at (x 0, y 0) → centroid (0, 0).
        // Channel 1: 1 at (x 3, y 0) and 0.6 at (x 3, y 1) → centroid (3, 0.6/1.6 = 0.375); a 0.3 at
        // (x 0, y 3) is below τ = 0.5 and ignored. Channel 2: 0.49 everywhere → absent at τ = 0.5.
        var v = [Float](repeating: 0, count: 3 * 16)
        v[0] = 1
        v[16 + 3] = 1; v[16 + 4 + 3] = 0.6; v[16 + 12] = 0.3
        for i in 32..<48 { v[i] = 0.49 }
        let maps = Tensor(v, shape: [1, 3, 4, 4])
        let extractor = TopologyExtractor()
        let c = extractor.centroids(of: maps)[0]
        XCTAssertEqual(c[0], SIMD2(0, 0))
        XCTAssertEqual(c[1]!.x, 3, accuracy: 1e-12)
        XCTAssertEqual(c[1]!.y, 0.375, accuracy: 1e-7)
        XCTAssertNil(c[2])

        let t = extractor.topology(of: maps)
        XCTAssertEqual(t.shape, [1, 2, 3, 3])
        // Planar: diagonal ‖(4, 4)‖ = 4√2 = 5.656854; ‖(3, 0.375)‖ = 3.023347 → 1 − 0.534457 = 0.465543.
        let values = t.toArray()
        XCTAssertEqual(values[1], 0.465543, accuracy: 1e-6)
        // Angular: two present points are opposite about their midpoint → Ma(0,1) = 0.
        XCTAssertEqual(values[9 + 1], 0, accuracy: 1e-7)
        XCTAssertEqual(Array(values[6..<9]), [0, 0, 0])   // Mp row 2 (absent)
        XCTAssertEqual(values[9 + 4], 1)                   // Ma(1,1)

        // A lower τ makes channel 2 present at its uniform map's centre (1.5, 1.5).
        XCTAssertEqual(TopologyExtractor(presenceThreshold: 0.25).centroids(of: maps)[0][2], SIMD2(1.5, 1.5))

        // Heatmaps and the same points give the same tensor.
        let direct = TopologyExtractor.topology(points: [[SIMD2(0, 0), SIMD2(3, 0.375), nil]], width: 4, height: 4)
        for (a, b) in zip(direct.toArray(), values) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testBatchOfPointsStacksSamples() {
        let t = TopologyExtractor.topology(points: [[SIMD2(0, 0), SIMD2(1, 0), SIMD2(4, 0)],
                                                    [SIMD2(0, 0), nil, SIMD2(4, 0)]], width: 6, height: 8)
        XCTAssertEqual(t.shape, [2, 2, 3, 3])
        let v = t.toArray()
        XCTAssertEqual(v[1], 0.9, accuracy: 1e-6)           // sample 0, Mp(0,1)
        XCTAssertEqual(v[18 + 1], 0)                        // sample 1, Mp(0,1): p1 absent
        XCTAssertEqual(v[18 + 2], 0.6, accuracy: 1e-6)      // sample 1, Mp(0,2)
        XCTAssertEqual(v[18 + 9 + 2], 0, accuracy: 1e-7)    // sample 1, Ma(0,2): opposite about c = (2,0)
    }
}
