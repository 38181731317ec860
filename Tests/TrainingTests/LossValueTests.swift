import XCTest
import Foundation
import Landmarks
import TensorEngine
@testable import Training

/// Hand-computed values of each base loss on tiny maps.
final class LossValueTests: XCTestCase {
    private func map(_ v: [Float], _ shape: [Int]) -> Tensor { Tensor(v, shape: shape) }

    func testMSEAndL1OnTwoByTwo() {
        // Channel 0: residuals (1, 0, −0.5, 0) → MSE (1 + 0.25)/4 = 0.3125, L1 (1 + 0.5)/4 = 0.375.
        // Channel 1 is excluded by the mask: its huge residuals must not count, not even in the denominator.
        let pred = map([1, 0, 0.5, 0, 9, 9, 9, 9], [1, 2, 2, 2])
        let target = map([0, 0, 1, 0, 0, 0, 0, 0], [1, 2, 2, 2])
        let mask = map([1, 0], [1, 2])
        XCTAssertEqual(MSELoss().perSample(prediction: pred, target: target, mask: mask).toArray(), [0.3125])
        XCTAssertEqual(L1Loss().perSample(prediction: pred, target: target, mask: mask).toArray(), [0.375])
        XCTAssertEqual(BaseLoss.mse.perSample(prediction: pred, target: target, mask: mask).shape, [1])
    }

    func testAdaptiveWingOnThreeByThree() {
        // Target: 1 at (row 0, col 0), 0 elsewhere. Its 3×3 dilation is 1 on the four pixels (0,0), (0,1),
        // (1,0), (1,1) → weight 11 there, 1 elsewhere.
        // (0,0): y = 1, ŷ = 0.8, d = 0.2 < θ, e = α − y = 1.1: 14·ln(1 + 0.2^1.1) = 14·ln(1.170297) = 2.201259
        // (0,1): y = 0, ŷ = 0.1, d = 0.1 < θ, e = 2.1:      14·ln(1 + 0.1^2.1) = 14·ln(1.007943) = 0.110767
        // (2,2): y = 0, ŷ = 1,   d = 1 ≥ θ,   e = 2.1:
        //    A = 14·(1/(1 + 0.5^2.1))·2.1·0.5^1.1/1 = 14·0.811241·2.1·0.466516 = 11.121422
        //    C = 0.5·A − 14·ln(1 + 0.5^2.1) = 5.560711 − 14·ln(1.232661) = 5.560711 − 2.935235 = 2.625476
        //    A·1 − C = 8.495946
        // Every other pixel has d = 0 → ln(1) = 0.
        // Mean over 9 pixels: (11·2.201259 + 11·0.110767 + 1·8.495946)/9 = 33.928225/9 = 3.769803
        var p = [Float](repeating: 0, count: 9)
        p[0] = 0.8; p[1] = 0.1; p[8] = 1
        var t = [Float](repeating: 0, count: 9)
        t[0] = 1
        let out = AdaptiveWingLoss().perSample(prediction: map(p, [1, 1, 3, 3]), target: map(t, [1, 1, 3, 3]),
                                               mask: map([1], [1, 1]))
        XCTAssertEqual(out.toArray()[0], 3.769803, accuracy: 2e-5)
        // Weight W = 0 removes the map: (2.201259 + 0.110767 + 8.495946)/9 = 1.200886
        let unweighted = AdaptiveWingLoss(weight: 0).perSample(prediction: map(p, [1, 1, 3, 3]),
                                                               target: map(t, [1, 1, 3, 3]), mask: map([1], [1, 1]))
        XCTAssertEqual(unweighted.toArray()[0], 1.200886, accuracy: 2e-5)
    }

    /// Logits ln 3, 0, −ln 3, 0 give p = 0.75, 0.5, 0.25, 0.5 against targets 1, 0.5, 0, 0.
    private let logits: [Float] = [Float(Foundation.log(3.0)), 0, -Float(Foundation.log(3.0)), 0]
    private let softTargets: [Float] = [1, 0.5, 0, 0]

    func testFocalOnTwoByTwo() {
        // (0): positive, p = 0.75: −(0.25)²·ln 0.75              = 0.0625·0.287682       = 0.017980
        // (1): y = 0.5 (negative), p = 0.5: −(0.5)⁴·0.5²·ln 0.5  = 0.0625·0.25·0.693147  = 0.010830
        // (2): y = 0, p = 0.25: −1·0.25²·ln 0.75                 = 0.0625·0.287682       = 0.017980
        // (3): y = 0, p = 0.5:  −1·0.5²·ln 0.5                   = 0.25·0.693147         = 0.173287
        // One positive pixel → 0.220077
        let out = FocalHeatmapLoss().perSample(prediction: map(logits, [1, 1, 2, 2]),
                                               target: map(softTargets, [1, 1, 2, 2]), mask: map([1], [1, 1]))
        XCTAssertEqual(out.toArray()[0], 0.220077, accuracy: 2e-6)
        // A sub-pixel peak of 0.9 is still the positive (a y ≥ 0.99 rule would give none): pixel (0) keeps
        // −(0.25)²·ln 0.75 = 0.017980, the others are unchanged → 0.220077 again.
        let subPixel = FocalHeatmapLoss().perSample(prediction: map(logits, [1, 1, 2, 2]),
                                                    target: map([0.9, 0.5, 0, 0], [1, 1, 2, 2]), mask: map([1], [1, 1]))
        XCTAssertEqual(subPixel.toArray()[0], 0.220077, accuracy: 2e-6)
    }

    func testEveryPresentLandmarkHasExactlyOnePositiveAtItsPeakPixel() {
        // A Gaussian at the sub-pixel centre (10.4, 7.6), σ = 2, peaks at pixel (x 10, y 8) with
        // e^(−(0.4² + 0.4²)/8) = 0.9608 < 0.99: a threshold rule gave this landmark no positive.
        let codec = HeatmapCodec(width: 24, height: 16, sigma: 2)
        let encoded = codec.encode([LandmarkPoint(x: 10.4, y: 7.6), LandmarkPoint(x: 3.5, y: 12.5), nil])
        let target = Tensor(encoded.heatmaps, shape: [1, 3, 16, 24])
        XCTAssertLessThan(encoded.heatmaps.max()!, 0.99)
        let positive = PeakPositives.mask(for: target).toArray()
        XCTAssertEqual(positive.reduce(0, +), 2, "one positive per present landmark, none for the absent one")
        XCTAssertEqual(positive[8 * 24 + 10], 1, "the pixel nearest (10.4, 7.6)")
        // A tie between pixels at equal distance takes the first (row-major); the point (3.5, 12.5) has four.
        XCTAssertEqual(positive[16 * 24 + 12 * 24 + 3], 1)

        // At logit 0 (p = ½) the pixel terms are simple, so each loss can be summed by hand over the encoded
        // maps; both divide by 2, the present landmarks. Focal: ¼·ln 2 at a positive, (1 − y)⁴·¼·ln 2 elsewhere.
        // QFL: (y − ½)²·ln 2 everywhere.
        let ln2 = Foundation.log(2.0)
        var focalSum = 0.0, qflSum = 0.0
        for (i, v) in encoded.heatmaps.enumerated() {
            let y = Double(v)
            focalSum += positive[i] == 1 ? 0.25 * ln2 : pow(1 - y, 4) * 0.25 * ln2
            qflSum += (y - 0.5) * (y - 0.5) * ln2
        }
        let zeros = Tensor.zeros([1, 3, 16, 24]), mask = Tensor([1, 1, 1], shape: [1, 3])
        let focal = FocalHeatmapLoss().perSample(prediction: zeros, target: target, mask: mask).toArray()[0]
        let qfl = QualityFocalLoss().perSample(prediction: zeros, target: target, mask: mask).toArray()[0]
        XCTAssertEqual(Double(focal), focalSum / 2, accuracy: 1e-4 * focalSum)
        XCTAssertEqual(Double(qfl), qflSum / 2, accuracy: 1e-4 * qflSum)
    }

    func testQualityFocalOnTwoByTwo() {
        // (0): y = 1, σ = 0.75: (0.25)²·(−ln 0.75)                    = 0.017980
        // (1): y = 0.5, σ = 0.5: |0|² = 0                              = 0
        // (2): y = 0, σ = 0.25: (0.25)²·(−ln 0.75)                     = 0.017980
        // (3): y = 0, σ = 0.5: (0.5)²·(−ln 0.5)                        = 0.173287
        // One positive (the peak pixel) → 0.209247
        let out = QualityFocalLoss().perSample(prediction: map(logits, [1, 1, 2, 2]),
                                               target: map(softTargets, [1, 1, 2, 2]), mask: map([1], [1, 1]))
        XCTAssertEqual(out.toArray()[0], 0.209247, accuracy: 2e-6)
    }

    func testNoPositivesNormalisesByOne() {
        // An all-zero target (absent landmark trained toward zero): the sum is divided by max(0, 1) = 1.
        // Pixels: y = 0, p = 0.5 each: 4·0.25·ln 2 = 0.693147 (focal) and the same for QFL.
        let zeros = Tensor.zeros([1, 1, 2, 2])
        let focal = FocalHeatmapLoss().perSample(prediction: zeros, target: zeros, mask: map([1], [1, 1]))
        let qfl = QualityFocalLoss().perSample(prediction: zeros, target: zeros, mask: map([1], [1, 1]))
        XCTAssertEqual(focal.toArray()[0], 0.693147, accuracy: 2e-6)
        XCTAssertEqual(qfl.toArray()[0], 0.693147, accuracy: 2e-6)
    }

    func testSaturatedLogitsStayFinite() {
        // σ(±100) rounds to exactly 1/0 in Float32; the log-sigmoid form must still give finite values.
        // Two landmarks (channels), each one target pixel at 1: one saturated right (logit 100), one wrong (−100).
        let pred = Tensor([100, -100, 100, -100, -100, -100, 100, -100], shape: [1, 2, 2, 2], requiresGrad: true)
        let target = map([1, 0, 0, 0, 1, 0, 0, 0], [1, 2, 2, 2])
        for loss in [BaseLoss.focal(FocalHeatmapLoss()), .qfl(QualityFocalLoss())] {
            pred.zeroGrad()
            let l = loss.perSample(prediction: pred, target: target, mask: map([1, 1], [1, 2]))
            XCTAssertTrue(l.toArray().allSatisfy { $0.isFinite }, "\(loss.name) value")
            // y = 1 with logit −100 and y = 0 with logit 100 each cost about 100 nats (focal: (1 − p)²·100 and
            // p²·100, QFL: 1·100): three such pixels over two positives.
            XCTAssertEqual(l.toArray()[0], 150, accuracy: 2, "\(loss.name)")
            l.sum().backward()
            XCTAssertTrue(pred.grad!.toArray().allSatisfy { $0.isFinite }, "\(loss.name) gradient")
        }
    }
}
