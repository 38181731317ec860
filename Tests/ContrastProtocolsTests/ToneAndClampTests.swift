import XCTest
import XRayIngest
@testable import ContrastProtocols

/// Tone curves and clamping on values worked out by hand.
final class ToneAndClampTests: XCTestCase {
    /// An image whose full-range window maps its pixels to exactly `values`.
    private func unit(_ values: [Float]) -> XRayImage {
        TestImages.image(1, values.count, values, valueRange: 0...1)
    }

    func testLinearIsIdentityOnUnitRange() throws {
        let v: [Float] = [0, 0.1, 0.5, 0.9, 1]
        assertClose(try TestImages.run([.window(.fullRange), .tone(.linear)], on: unit(v)), v)
    }

    func testGamma() throws {
        assertClose(try TestImages.run([.window(.fullRange), .tone(.gamma(2))], on: unit([0, 0.5, 0.3, 1])), [0, 0.25, 0.09, 1])
        assertClose(try TestImages.run([.window(.fullRange), .tone(.gamma(0.5))], on: unit([0, 0.25, 0.81, 1])), [0, 0.5, 0.9, 1])
    }

    func testSigmoidIsRescaledToKeepTheEnds() throws {
        // gain 4, midpoint 0.5: s(v) = 1/(1+e^(−4(v−0.5))); s(0) = 0.1192029, s(1) = 0.8807971.
        // v = 0.75: s = 1/(1+e^−1) = 0.7310586 → (0.7310586 − 0.1192029)/0.7615942 = 0.8033881.
        // v = 0.25: by symmetry 1 − 0.8033881.
        let out = try TestImages.run([.window(.fullRange), .tone(.sigmoid(gain: 4, midpoint: 0.5))], on: unit([0, 0.25, 0.5, 0.75, 1]))
        assertClose(out, [0, 0.1966119, 0.5, 0.8033881, 1], accuracy: 2e-6)
        // Off-centre midpoint 0.25, gain 2: s(0) = 1/(1+e^0.5) = 0.3775407, s(1) = 1/(1+e^−1.5) = 0.8175745;
        // v = 0.25 → (0.5 − 0.3775407)/0.4400338 = 0.2782953.
        let shifted = try TestImages.run([.window(.fullRange), .tone(.sigmoid(gain: 2, midpoint: 0.25))], on: unit([0.25]))
        assertClose(shifted, [0.2782953], accuracy: 2e-6)
    }

    func testToneCurvesClampOvershootFirst() throws {
        // Unsharp can leave values outside [0,1]; gamma of a negative number would be NaN.
        var image = TestImages.image(1, 8, [0, 0, 0, 0, 1, 1, 1, 1], valueRange: 0...1)
        image.spacing = nil
        let sharpen = ProtocolStep.unsharp(try UnsharpParameters(radiusMM: 1, fallbackRadiusPixels: 1, amount: 2))
        let out = try TestImages.run([.window(.fullRange), sharpen, .tone(.gamma(0.5))], on: image)
        XCTAssertTrue(out.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(out)")
    }

    func testClampStepAndImplicitFinalClamp() throws {
        let image = TestImages.image(1, 8, [0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9], valueRange: 0...1)
        let sharpen = ProtocolStep.unsharp(try UnsharpParameters(radiusMM: 1, fallbackRadiusPixels: 1, amount: 3))
        // Without any clamp step the output is still in [0,1] and the overshoot saturates.
        let implicit = try TestImages.run([.window(.fullRange), sharpen], on: image)
        XCTAssertEqual(implicit[3], 0)
        XCTAssertEqual(implicit[4], 1)
        XCTAssertTrue(implicit.allSatisfy { $0 >= 0 && $0 <= 1 })
        // A clamp before a second sharpen changes the result: clamping really happens there.
        let clampedFirst = try TestImages.run([.window(.fullRange), sharpen, .clamp, sharpen], on: image)
        let unclampedFirst = try TestImages.run([.window(.fullRange), sharpen, sharpen], on: image)
        XCTAssertNotEqual(clampedFirst, unclampedFirst)
        XCTAssertTrue(clampedFirst.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
}
