import Landmarks
import XCTest
import XRayIngest
@testable import Inference

/// The decode + inverse-transform path the predictor uses, fed heatmaps whose peaks are known.
final class HeatmapMappingTests: XCTestCase {
    let names = ["top", "left", "right"]

    /// A one-pixel peak at heatmap pixel (i, j), decoded without refinement, must land where the geometry says:
    /// heatmap pixel i covers input pixels 4i…4i+3, centre 4i + 1.5; the letterbox scales by s = min(64/300, 64/200)
    /// and pads the short side by (64 − s·200)/2, in edge coordinates (centre x ↔ edge x + 0.5).
    func testIntegerPeaksMapBackThroughTheLetterboxExactly() {
        let w = 300, h = 200
        let letterbox = Letterbox(sourceWidth: w, sourceHeight: h, targetWidth: 64, targetHeight: 64)
        let codec = HeatmapCodec(width: 16, height: 16, sigma: 2, threshold: 0.5, refinement: .none)
        let mapping = HeatmapMapping(codec: codec, stride: 4, landmarkNames: names)
        let peaks = [(3, 5), (10, 7), (15, 9)]
        var maps = [Float](repeating: 0, count: 3 * 256)
        for (k, (i, j)) in peaks.enumerated() { maps[k * 256 + j * 16 + i] = 0.9 }
        let out = mapping.landmarks(from: maps, letterbox: letterbox, spacing: nil)
        let s = min(64.0 / 300, 64.0 / 200), padX = (64 - s * 300) / 2, padY = (64 - s * 200) / 2
        XCTAssertEqual(s, 64.0 / 300)
        for ((i, j), l) in zip(peaks, out) {
            let inX = 4 * Double(i) + 1.5, inY = 4 * Double(j) + 1.5
            XCTAssertEqual(l.x, (inX + 0.5 - padX) / s - 0.5, accuracy: 1e-9)
            XCTAssertEqual(l.y, (inY + 0.5 - padY) / s - 0.5, accuracy: 1e-9)
            XCTAssertTrue(l.present)
            XCTAssertEqual(l.confidence, Double(Float(0.9)), accuracy: 1e-12)
            XCTAssertNil(l.xMM)
            XCTAssertNil(l.yMM)
        }
        XCTAssertEqual(out.map(\.name), names)
    }

    /// Sub-pixel landmarks in original pixels → Gaussian targets through the forward transform → DARK decode and
    /// inverse transform: back within DARK's accuracy (0.05 heatmap px = 0.2 / s original px).
    func testDARKRecoversSubPixelOriginalPositionsWithAnisotropicMM() {
        let w = 180, h = 260
        let letterbox = Letterbox(sourceWidth: w, sourceHeight: h, targetWidth: 64, targetHeight: 64)
        let codec = HeatmapCodec(width: 16, height: 16, sigma: 2, threshold: 0.5, refinement: .dark)
        let mapping = HeatmapMapping(codec: codec, stride: 4, landmarkNames: names)
        let truth = [LandmarkPoint(x: 40.3, y: 70.8), LandmarkPoint(x: 101.7, y: 130.2), LandmarkPoint(x: 150.05, y: 201.6)]
        let toHeatmap = letterbox.transform.then(HeatmapGrid.inputToHeatmap(stride: 4))
        let target = codec.encode(truth.map { toHeatmap.apply($0) })
        let spacing = PixelSpacing(rowMM: 0.3, columnMM: 0.15, source: .pixelSpacing)
        let out = mapping.landmarks(from: target.heatmaps, letterbox: letterbox, spacing: spacing)
        let tolerance = 0.05 * 4 / letterbox.scale
        for (t, l) in zip(truth, out) {
            XCTAssertLessThan(t.distance(to: LandmarkPoint(x: l.x, y: l.y)), tolerance, "\(t) came back as (\(l.x), \(l.y))")
            // mm = px × spacing, x with the column spacing and y with the row spacing.
            XCTAssertEqual(l.xMM!, l.x * 0.15, accuracy: 1e-12)
            XCTAssertEqual(l.yMM!, l.y * 0.3, accuracy: 1e-12)
            XCTAssertTrue(l.present)
        }
    }

    func testEmptyChannelIsAbsentAndTiesAtTauArePresent() {
        let letterbox = Letterbox(sourceWidth: 64, sourceHeight: 64, targetWidth: 64, targetHeight: 64)
        let codec = HeatmapCodec(width: 16, height: 16, sigma: 2, threshold: 0.5, refinement: .dark)
        let mapping = HeatmapMapping(codec: codec, stride: 4, landmarkNames: names)
        var maps = [Float](repeating: 0, count: 3 * 256)
        maps[0 * 256 + 8 * 16 + 8] = 0.5      // exactly τ
        maps[1 * 256 + 4 * 16 + 4] = 0.4999   // just below
        let out = mapping.landmarks(from: maps, letterbox: letterbox, spacing: nil)
        XCTAssertEqual(out.map(\.present), [true, false, false])
        XCTAssertEqual(out[2].confidence, 0)
    }
}
