import XCTest
import XRayIngest
@testable import Landmarks

/// A hand-built case with every answer worked out in the comments.
///
/// Landmarks A, B, C with tolerances 2, 3, 1.5 mm.
/// img1, anisotropic spacing (row 0.5 mm, column 0.25 mm):
///   A  GT (10,10)  pred (18,12) 0.9   dx 8, dy 2 → px √68 = 8.246211; mm √(2² + 1²) = √5 = 2.236068 > 2 → miss
///   B  GT (20,20)  pred (20,23) 0.8   dy 3 → px 3; mm 1.5 ≤ 3 → hit
///   C  GT absent   pred present 0.7   → false positive
/// img2, no spacing:
///   A  GT (5,5)    pred (8,9)   0.6   px 5; mm n/a → unjudged (no px tolerance)
///   B  GT (1,1)    pred absent  0.3   → false negative
///   C  GT absent   pred absent  0.1   → true negative
/// img3, isotropic 0.1 mm:
///   A  GT (100,100) pred (100,130) 0.5  px 30, mm 3.0 > 2 → miss
///   B  GT (50,50)   pred (62,66)  0.95  px 20, mm 2.0 ≤ 3 → hit (and exactly on the 2 mm SDR radius)
///   C  GT (10,10)   pred (13,14)  0.85  px 5,  mm 0.5 ≤ 1.5 → hit
final class MetricsEvaluationTests: XCTestCase {
    static let config = MetricsConfig(landmarkNames: ["A", "B", "C"], toleranceMM: [2, 3, 1.5])

    static func p(_ x: Double, _ y: Double, _ c: Double, _ present: Bool = true) -> LandmarkPrediction {
        LandmarkPrediction(x: x, y: y, confidence: c, present: present)
    }
    static func g(_ x: Double, _ y: Double) -> LandmarkPoint? { LandmarkPoint(x: x, y: y) }

    static let inputs: [ImageEvaluationInput] = [
        ImageEvaluationInput(id: "img1", groundTruth: [g(10, 10), g(20, 20), nil],
                             predictions: [p(18, 12, 0.9), p(20, 23, 0.8), p(40, 40, 0.7)],
                             spacing: PixelSpacing(rowMM: 0.5, columnMM: 0.25, source: .pixelSpacing)),
        ImageEvaluationInput(id: "img2", groundTruth: [g(5, 5), g(1, 1), nil],
                             predictions: [p(8, 9, 0.6), p(3, 3, 0.3, false), p(7, 7, 0.1, false)],
                             spacing: nil),
        ImageEvaluationInput(id: "img3", groundTruth: [g(100, 100), g(50, 50), g(10, 10)],
                             predictions: [p(100, 130, 0.5), p(62, 66, 0.95), p(13, 14, 0.85)],
                             spacing: PixelSpacing(rowMM: 0.1, columnMM: 0.1, source: .manifest)),
    ]

    func testPerLandmarkOutcomesOfEachImage() throws {
        let r = try LandmarkEvaluator(config: Self.config).report(Self.inputs)
        XCTAssertEqual(r.images.map { $0.landmarks.map(\.kind) }, [
            [.miss, .hit, .falsePositive],
            [.unjudged, .falseNegative, .trueNegative],
            [.miss, .hit, .hit],
        ])
        let a1 = r.images[0].landmarks[0]
        XCTAssertEqual(a1.errorPX!, 68.0.squareRoot(), accuracy: 1e-12)
        // Anisotropic: the 8 px column step is 2 mm, the 2 px row step is 1 mm.
        XCTAssertEqual(a1.errorMM!, 5.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(r.images[0].landmarks[1].errorMM!, 1.5, accuracy: 1e-12)
        // Absent on either side: no distance at all.
        XCTAssertNil(r.images[0].landmarks[2].errorPX)
        XCTAssertNil(r.images[1].landmarks[1].errorPX)
        // No spacing: px given, mm never invented.
        XCTAssertEqual(r.images[1].landmarks[0].errorPX!, 5, accuracy: 1e-12)
        XCTAssertNil(r.images[1].landmarks[0].errorMM)
        XCTAssertNil(r.images[1].spacingSource)
        XCTAssertEqual(r.images[2].spacingSource, "manifest")
    }

    func testOverallCountsAreSeparateColumns() throws {
        let o = try LandmarkEvaluator(config: Self.config).report(Self.inputs).overall
        XCTAssertEqual(o.total, 9)
        XCTAssertEqual(o.groundTruthPresent, 7)  // 2 + 2 + 3
        XCTAssertEqual(o.predictedPresent, 7)    // 3 + 1 + 3
        XCTAssertEqual(o.matched, 6)             // img1 A,B; img2 A; img3 A,B,C
        XCTAssertEqual(o.falseNegatives, 1)      // img2 B
        XCTAssertEqual(o.falsePositives, 1)      // img1 C
        XCTAssertEqual(o.misses, 2)              // img1 A, img3 A
        XCTAssertEqual(o.missJudged, 5)          // matched minus img2 A (no spacing, no px tolerance)
        XCTAssertEqual(o.trueNegatives, 1)
        XCTAssertEqual(o.measuredMM, 5)
    }

    func testOverallErrorStatistics() throws {
        let o = try LandmarkEvaluator(config: Self.config).report(Self.inputs).overall
        // px: 8.246211, 3, 5, 30, 20, 5 → mean 71.246211 / 6; sorted 3,5,5,8.25,20,30 → median (5 + 8.246211) / 2
        let root68 = 68.0.squareRoot()
        XCTAssertEqual(o.mrePX!, (root68 + 63) / 6, accuracy: 1e-12)
        XCTAssertEqual(o.medianPX!, (5 + root68) / 2, accuracy: 1e-12)
        // mm: 2.236068, 1.5, 3.0, 2.0, 0.5 → mean 9.236068 / 5; median 2.0
        XCTAssertEqual(o.mreMM!, (5.0.squareRoot() + 7) / 5, accuracy: 1e-12)
        XCTAssertEqual(o.medianMM!, 2.0, accuracy: 1e-12)
        // SDR over the 5 mm-measured: ≤2 → {0.5, 1.5, 2.0} 3/5; ≤2.5 adds 2.236 → 4/5; ≤3 adds 3.0 → 5/5.
        XCTAssertEqual(o.sdr.map(\.radiusMM), [2, 2.5, 3, 4])
        XCTAssertEqual(o.sdr.map(\.within), [3, 4, 5, 5])
        XCTAssertEqual(o.sdr(atMM: 2)!, 0.6, accuracy: 1e-12)
        XCTAssertEqual(o.sdr(atMM: 2.5)!, 0.8, accuracy: 1e-12)
        XCTAssertEqual(o.sdr(atMM: 4)!, 1.0, accuracy: 1e-12)
        XCTAssertNil(o.sdr(atMM: 7))
    }

    func testPerLandmarkAndPerImageAggregates() throws {
        let r = try LandmarkEvaluator(config: Self.config).report(Self.inputs)
        let a = r.landmarks[0]
        XCTAssertEqual(a.name, "A")
        XCTAssertEqual(a.toleranceMM, 2)
        XCTAssertEqual(a.summary.matched, 3)
        XCTAssertEqual(a.summary.misses, 2)
        XCTAssertEqual(a.summary.missJudged, 2)
        // px 8.246211, 5, 30; mm 2.236068, 3.0 → mean 2.618034, median of two = the same.
        XCTAssertEqual(a.summary.mrePX!, (root68() + 35) / 3, accuracy: 1e-12)
        XCTAssertEqual(a.summary.mreMM!, (5.0.squareRoot() + 3) / 2, accuracy: 1e-12)
        XCTAssertEqual(a.summary.medianMM!, (5.0.squareRoot() + 3) / 2, accuracy: 1e-12)
        let c = r.landmarks[2].summary
        XCTAssertEqual([c.groundTruthPresent, c.falsePositives, c.trueNegatives, c.falseNegatives, c.misses], [1, 1, 1, 0, 0])
        // img2 has no spacing: px statistics present, every mm statistic nil, SDR rates nil (not 0).
        let i2 = r.images[1].summary
        XCTAssertEqual(i2.mrePX!, 5, accuracy: 1e-12)
        XCTAssertNil(i2.mreMM)
        XCTAssertNil(i2.medianMM)
        XCTAssertEqual(i2.measuredMM, 0)
        XCTAssertTrue(i2.sdr.allSatisfy { $0.rate == nil && $0.within == 0 })
        XCTAssertEqual(i2.falseNegatives, 1)
        // img3: mm 3.0, 2.0, 0.5 → sample SD: mean 1.8333, deviations 1.1667, 0.1667, -1.3333 → √(3.1667/2)
        let i3 = r.images[2].summary
        XCTAssertEqual(i3.sdMM!, (3.1666666666666665 / 2).squareRoot(), accuracy: 1e-9)
    }

    /// MRE over every ground-truth landmark at its peak, τ ignored: the six matched errors plus img2's false
    /// negative B, whose peak (3,3) is √8 = 2.828427 px from (1,1). px: (8.246211 + 3 + 5 + 2.828427 + 30 + 20
    /// + 5)/7 = 10.582091, where the matched-only mean is 71.246211/6 = 11.874369. mm: img2 has no spacing, so
    /// the five mm errors are the matched ones: (2.236068 + 1.5 + 3 + 2 + 0.5)/5 = 1.847214. Absent ground
    /// truth (the two C's) never counts. Landmark B alone: (3 + 2.828427 + 20)/3 = 8.609476.
    func testMREOverEveryGroundTruthLandmarkIgnoresTau() throws {
        let report = try LandmarkEvaluator(config: Self.config).report(Self.inputs, sweepThresholds: [])
        XCTAssertEqual(report.overall.mreAllPX!, 10.582091, accuracy: 1e-6)
        XCTAssertEqual(report.overall.mrePX!, 11.874369, accuracy: 1e-6)
        XCTAssertEqual(report.overall.mreAllMM!, 1.847214, accuracy: 1e-6)
        XCTAssertEqual(report.landmarks[1].summary.mreAllPX!, 8.609476, accuracy: 1e-6)
        XCTAssertEqual(report.images[1].landmarks[1].kind, .falseNegative)
        XCTAssertEqual(report.images[1].landmarks[1].peakErrorPX!, 8.0.squareRoot(), accuracy: 1e-12)
        XCTAssertNil(report.images[1].landmarks[1].errorPX, "the matched-only error stays nil for a false negative")
        XCTAssertNil(report.images[0].landmarks[2].peakErrorPX, "no ground truth, no error")
        // A higher τ turns detections into FNs and changes the matched MRE, but not this one.
        let strict = try LandmarkEvaluator(config: MetricsConfig(landmarkNames: ["A", "B", "C"], toleranceMM: [2, 3, 1.5], threshold: 0.99))
            .report(Self.inputs, sweepThresholds: [])
        XCTAssertEqual(strict.overall.mreAllPX!, 10.582091, accuracy: 1e-6)
        XCTAssertNil(strict.overall.mrePX)
    }

    func testPixelToleranceJudgesImagesWithoutSpacing() throws {
        var cfg = Self.config
        cfg.tolerancePX = 4   // img2 A is 5 px off → now a miss
        let o = try LandmarkEvaluator(config: cfg).report(Self.inputs).overall
        XCTAssertEqual(o.misses, 3)
        XCTAssertEqual(o.missJudged, 6)
        cfg.tolerancePX = 5   // exactly at the tolerance is not a miss
        XCTAssertEqual(try LandmarkEvaluator(config: cfg).report(Self.inputs).overall.misses, 2)
    }

    func testThresholdOverrideRedecidesPresenceWithTiesPresent() throws {
        var cfg = Self.config
        cfg.threshold = 0.6
        let r = try LandmarkEvaluator(config: cfg).report(Self.inputs)
        // img3 A (peak 0.5) drops below τ → FN instead of a miss; img2 A (peak 0.6, exactly τ) stays present.
        XCTAssertEqual(r.images[2].landmarks[0].kind, .falseNegative)
        XCTAssertEqual(r.images[1].landmarks[0].kind, .unjudged)
        XCTAssertEqual(r.overall.falseNegatives, 2)
        XCTAssertEqual(r.overall.misses, 1)
        XCTAssertEqual(r.overall.falsePositives, 1)
    }

    func testSweepCountsFNAndFPAgainstTau() throws {
        // Peaks with GT present: .9 .8 | .6 .3 | .5 .95 .85; with GT absent: .7 | .1
        let s = ThresholdSweep.sweep(Self.inputs, thresholds: [0.8, 0.5, 0.6])
        XCTAssertEqual(s.map(\.threshold), [0.5, 0.6, 0.8])
        // τ .5: FN {.3} (the .5 tie is present); FP {.7}
        // τ .6: FN {.3, .5} (the .6 tie is present); FP {.7}
        // τ .8: FN {.6, .3, .5} (the .8 tie is present); FP {} (.7 < .8)
        XCTAssertEqual(s.map(\.falseNegatives), [1, 2, 3])
        XCTAssertEqual(s.map(\.falsePositives), [1, 1, 0])
        XCTAssertTrue(s.allSatisfy { $0.groundTruthPresent == 7 && $0.groundTruthAbsent == 2 })
        let r = try LandmarkEvaluator(config: Self.config).report(Self.inputs)
        XCTAssertEqual(r.sweep.count, ThresholdSweep.defaultThresholds.count)
        XCTAssertEqual(r.sweep.first { abs($0.threshold - 0.5) < 1e-12 }?.falseNegatives, 1)
    }

    func testWrongLandmarkCountIsRejected() {
        var bad = Self.inputs[0]
        bad.predictions.removeLast()
        XCTAssertThrowsError(try LandmarkEvaluator(config: Self.config).evaluate(bad)) { e in
            XCTAssertTrue(String(describing: e).contains("img1"))
        }
    }

    func testReportRoundTripsThroughJSONWithoutInventedMM() throws {
        let r = try LandmarkEvaluator(config: Self.config).report(Self.inputs)
        let data = try JSONEncoder().encode(r)
        XCTAssertEqual(try JSONDecoder().decode(EvaluationReport.self, from: data), r)
        let img2 = try JSONSerialization.jsonObject(with: JSONEncoder().encode(r.images[1])) as! [String: Any]
        let a = (img2["landmarks"] as! [[String: Any]])[0]
        XCTAssertNotNil(a["errorPX"])
        XCTAssertNil(a["errorMM"])
        XCTAssertEqual(a["kind"] as? String, "unjudged")
    }

    func testConfigFromSchemaTakesTolerances() {
        let schema = LandmarkSchema(name: "s", landmarks: [LandmarkDefinition(name: "x", toleranceMM: 1.25),
                                                          LandmarkDefinition(name: "y", toleranceMM: 4)])
        let cfg = MetricsConfig(schema: schema, tolerancePX: 3)
        XCTAssertEqual(cfg.landmarkNames, ["x", "y"])
        XCTAssertEqual(cfg.toleranceMM, [1.25, 4])
        XCTAssertEqual(cfg.tolerancePX, 3)
    }

    private func root68() -> Double { 68.0.squareRoot() }
}

final class MetricsAdapterTests: XCTestCase {
    func testDecodedLandmarkAndAnnotatedImageAdapters() throws {
        let d = DecodedLandmark(x: 3.5, y: 4.25, confidence: 0.75, present: true)
        XCTAssertEqual(LandmarkPrediction(d), LandmarkPrediction(x: 3.5, y: 4.25, confidence: 0.75, present: true))
        let spacing = PixelSpacing(rowMM: 0.5, columnMM: 0.5, source: .manifest)
        let img = AnnotatedImage(id: "a/b", relativePath: "a/b.dcm", url: URL(fileURLWithPath: "/x/a/b.dcm"), width: 10, height: 10,
                                 spacing: spacing, landmarks: [LandmarkPoint(x: 1, y: 1), nil])
        let input = ImageEvaluationInput(image: img, predictions: [LandmarkPrediction(x: 4, y: 5, confidence: 0.9, present: true),
                                                                   LandmarkPrediction(d)])
        XCTAssertEqual(input.id, "a/b")
        XCTAssertEqual(input.spacing, spacing)
        let e = try LandmarkEvaluator(config: MetricsConfig(landmarkNames: ["p", "q"], toleranceMM: [2, 2])).evaluate(input)
        // (1,1) → (4,5): 5 px, 2.5 mm > 2 → miss; q absent in truth but predicted → FP.
        XCTAssertEqual(e.landmarks.map(\.kind), [.miss, .falsePositive])
        XCTAssertEqual(e.landmarks[0].errorMM!, 2.5, accuracy: 1e-12)
    }
}
