import Foundation
import Landmarks
import XRayIngest

/// Turns one image's heatmaps into landmarks in original pixels: DARK decode in the heatmap grid, then
/// heatmap → input (stride) → original (inverse letterbox). The predictor uses exactly this; tests feed it
/// synthetic heatmaps whose peaks are known.
public struct HeatmapMapping: Sendable, Equatable {
    public var codec: HeatmapCodec
    public var stride: Int
    public var landmarkNames: [String]

    public init(codec: HeatmapCodec, stride: Int, landmarkNames: [String]) {
        self.codec = codec; self.stride = stride; self.landmarkNames = landmarkNames
    }

    /// `heatmaps` is K × codec.height × codec.width for one image.
    public func landmarks(from heatmaps: UnsafeBufferPointer<Float>, letterbox: Letterbox, spacing: PixelSpacing?) -> [PredictedLandmark] {
        let plane = codec.width * codec.height
        precondition(heatmaps.count == landmarkNames.count * plane,
                     "HeatmapMapping: \(heatmaps.count) values for \(landmarkNames.count)×\(codec.height)×\(codec.width)")
        let toOriginal = HeatmapGrid.inputToHeatmap(stride: stride).inverted.then(letterbox.transform.inverted)
        return landmarkNames.enumerated().map { k, name in
            let d = codec.decodeChannel(UnsafeBufferPointer(rebasing: heatmaps[(k * plane)..<((k + 1) * plane)]))
            let p = toOriginal.apply(d.point)
            return PredictedLandmark(name: name, x: p.x, y: p.y, xMM: spacing.map { p.x * $0.columnMM },
                                     yMM: spacing.map { p.y * $0.rowMM }, confidence: Double(d.confidence), present: d.present)
        }
    }

    public func landmarks(from heatmaps: [Float], letterbox: Letterbox, spacing: PixelSpacing?) -> [PredictedLandmark] {
        heatmaps.withUnsafeBufferPointer { landmarks(from: $0, letterbox: letterbox, spacing: spacing) }
    }
}
