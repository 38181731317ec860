import XCTest
@testable import Landmarks

final class HeatmapCodecTests: XCTestCase {
    func randomPoints(_ k: Int, w: Int, h: Int, rng: inout SeededRandom, absentEvery: Int = 0) -> [LandmarkPoint?] {
        (0..<k).map { i in
            if absentEvery > 0 && i % absentEvery == absentEvery - 1 { return nil }
            return LandmarkPoint(x: rng.uniform(3, Double(w) - 4), y: rng.uniform(3, Double(h) - 4))
        }
    }

    func testEncodeDecodeRecoversSubPixelPositionsWithDARK() {
        var rng = SeededRandom(seed: 42)
        for (k, sigma) in [(1, 1.5), (7, 2.0), (37, 2.0), (36, 3.0)] {
            let codec = HeatmapCodec(width: 48, height: 40, sigma: sigma)
            for _ in 0..<4 {
                let pts = randomPoints(k, w: 48, h: 40, rng: &rng)
                let t = codec.encode(pts)
                XCTAssertEqual(t.heatmaps.count, k * 48 * 40)
                XCTAssertEqual(t.mask, [Float](repeating: 1, count: k))
                let d = codec.decode(t.heatmaps, count: k)
                for (p, q) in zip(pts, d) {
                    XCTAssertTrue(q.present)
                    XCTAssertLessThan(p!.distance(to: q.point), 0.05, "K=\(k) sigma=\(sigma) \(p!) decoded as \(q.point)")
                }
            }
        }
    }

    func testAbsentLandmarksEncodeAsZeroAndDecodeAbsent() {
        var rng = SeededRandom(seed: 7)
        let codec = HeatmapCodec(width: 32, height: 32, sigma: 2)
        let pts = randomPoints(9, w: 32, h: 32, rng: &rng, absentEvery: 3)
        let t = codec.encode(pts)
        let d = codec.decode(t.heatmaps, count: 9)
        for i in 0..<9 {
            let plane = t.heatmaps[(i * 1024)..<((i + 1) * 1024)]
            if pts[i] == nil {
                XCTAssertEqual(t.mask[i], 1, "absent landmarks are trained toward zero by default")
                XCTAssertEqual(codec.encode(pts, absent: .mask).mask[i], 0)
                XCTAssertTrue(plane.allSatisfy { $0 == 0 })
                XCTAssertFalse(d[i].present)
                XCTAssertEqual(d[i].confidence, 0)
            } else {
                XCTAssertEqual(t.mask[i], 1)
                XCTAssertTrue(d[i].present)
            }
        }
    }

    func testPeakIsOneAtExactCentreAndThresholdDecidesPresence() {
        let codec = HeatmapCodec(width: 20, height: 20, sigma: 2, threshold: 0.5)
        let t = codec.encode([LandmarkPoint(x: 10, y: 7)])
        XCTAssertEqual(t.heatmaps[7 * 20 + 10], 1)
        XCTAssertEqual(t.heatmaps[7 * 20 + 12], Float(exp(-4.0 / 8)), accuracy: 1e-6)
        // A weak response below τ is a false negative: decoded, but not present.
        let weak = t.heatmaps.map { $0 * 0.4 }
        let d = codec.decode(weak, count: 1)[0]
        XCTAssertFalse(d.present)
        XCTAssertEqual(d.confidence, 0.4, accuracy: 1e-6)
        XCTAssertEqual(d.x, 10, accuracy: 0.05)
        var lower = codec; lower.threshold = 0.3
        XCTAssertTrue(lower.decode(weak, count: 1)[0].present)
    }

    func testQuarterOffsetBeatsPlainArgmaxAndDARKBeatsBoth() {
        var rng = SeededRandom(seed: 3)
        var codec = HeatmapCodec(width: 40, height: 40, sigma: 2)
        let pts = randomPoints(50, w: 40, h: 40, rng: &rng)
        let t = codec.encode(pts)
        func meanError(_ r: HeatmapCodec.Refinement) -> Double {
            codec.refinement = r
            let d = codec.decode(t.heatmaps, count: pts.count)
            return zip(pts, d).map { $0!.distance(to: $1.point) }.reduce(0, +) / Double(pts.count)
        }
        let none = meanError(.none), quarter = meanError(.quarterOffset), dark = meanError(.dark)
        XCTAssertLessThan(quarter, none)
        XCTAssertLessThan(dark, quarter)
        XCTAssertLessThan(dark, 0.02)
    }

    func testLandmarksAtTheBorderDecodeAsPreciselyAsInside() {
        var rng = SeededRandom(seed: 8)
        let codec = HeatmapCodec(width: 16, height: 12, sigma: 1.5)
        // Within half a pixel of each edge and in the corners.
        var pts: [LandmarkPoint] = [LandmarkPoint(x: 0.2, y: 8.3), LandmarkPoint(x: 15, y: 11), LandmarkPoint(x: -0.3, y: -0.2)]
        for _ in 0..<20 {
            pts.append(LandmarkPoint(x: rng.chance(0.5) ? rng.uniform(-0.4, 0.6) : rng.uniform(14.4, 15.4), y: rng.uniform(0, 11)))
            pts.append(LandmarkPoint(x: rng.uniform(0, 15), y: rng.chance(0.5) ? rng.uniform(-0.4, 0.6) : rng.uniform(10.4, 11.4)))
        }
        let d = codec.decode(codec.encode(pts).heatmaps, count: pts.count)
        for (p, q) in zip(pts, d) {
            XCTAssertTrue(q.present, "\(p)")
            XCTAssertLessThan(p.distance(to: q.point), 0.05, "\(p) decoded as \(q.point)")
        }
    }
}
