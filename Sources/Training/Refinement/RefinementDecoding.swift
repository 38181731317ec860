import DetectorModel
import Landmarks
import TensorEngine

extension RefinementStage {
    /// The codec that reads a patch network's heatmaps: its σ, and the stage's minimum confidence as τ.
    public var codec: HeatmapCodec {
        let h = patchSize / heatmapStride
        return HeatmapCodec(width: h, height: h, sigma: sigma, threshold: Float(minimumConfidence))
    }

    /// Each patch's own landmark, in original pixels, from the patch network's raw output `[n, K, h, h]`:
    /// patch i reads only channel `landmarks[i]`, through `windows[i]`. nil where that channel's peak stays
    /// below the minimum confidence. The validation of training and the predictor both decode this way.
    public func landmarks(fromRaw raw: Tensor, windows: [PatchWindow], landmarks: [Int]) -> [LandmarkPoint?] {
        let heatmaps = outputActivation.heatmaps(from: raw)
        let codec = codec, plane = codec.width * codec.height, k = network.keypoints
        return heatmaps.withUnsafeBufferPointer { buf in
            windows.indices.map { i in
                let offset = (i * k + landmarks[i]) * plane
                return windows[i].landmark(in: UnsafeBufferPointer(rebasing: buf[offset..<(offset + plane)]), codec: codec,
                                           stride: heatmapStride)
            }
        }
    }
}
