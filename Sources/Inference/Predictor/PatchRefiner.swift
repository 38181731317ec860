import DetectorModel
import Foundation
import Landmarks
import TensorEngine
import Training
import XRayIngest

/// The refinement stage at inference: for each landmark, a window of the original image centred on the
/// current estimate goes through the patch network, and the peak of that landmark's channel becomes the
/// new estimate. Presence and confidence stay the first stage's: it saw the whole image, the patch did not.
public struct PatchRefiner {
    public let stage: RefinementStage
    private let network: FoldedFPN
    /// Patches per forward pass; bounds memory whatever the batch of images.
    public var chunk = 64

    public init(stage: RefinementStage, network: FPNKeypointNet) {
        self.stage = stage
        self.network = network.folded()
    }

    /// Refined landmarks for each image; `images[i]` and `coarse[i]` belong together.
    public func refine(_ images: [RefinementImage], coarse: [[PredictedLandmark]], spacings: [PixelSpacing?]) -> [[PredictedLandmark]] {
        var current = coarse
        for _ in 0..<stage.passes {
            let jobs = current.indices.flatMap { i in current[i].indices.map { (i, $0) } }
            let windows = jobs.map { i, k in
                PatchWindow(center: LandmarkPoint(x: current[i][k].x, y: current[i][k].y), size: stage.patchSize, pixelSize: stage.pixelSize)
            }
            let found = locate(jobs: jobs, windows: windows, images: images)
            for (j, (i, k)) in jobs.enumerated() {
                guard let p = found[j] else { continue }
                current[i][k].x = p.x; current[i][k].y = p.y
                current[i][k].xMM = spacings[i].map { p.x * $0.columnMM }
                current[i][k].yMM = spacings[i].map { p.y * $0.rowMM }
            }
        }
        return current
    }

    /// Each job's new position in original pixels, or nil where the patch's peak stays below the stage's minimum.
    private func locate(jobs: [(Int, Int)], windows: [PatchWindow], images: [RefinementImage]) -> [LandmarkPoint?] {
        let s = stage.patchSize, plane = s * s
        var found: [LandmarkPoint?] = []
        found.reserveCapacity(jobs.count)
        for start in stride(from: 0, to: jobs.count, by: chunk) {
            let range = start..<min(start + chunk, jobs.count)
            var data = [Float](repeating: 0, count: range.count * plane)
            for (row, j) in range.enumerated() {
                data.replaceSubrange((row * plane)..<((row + 1) * plane), with: images[jobs[j].0].patch(windows[j]).pixels)
            }
            let raw = network(Tensor(data, shape: [range.count, 1, s, s]))
            found += stage.landmarks(fromRaw: raw, windows: Array(windows[range]), landmarks: range.map { jobs[$0].1 })
        }
        return found
    }
}
