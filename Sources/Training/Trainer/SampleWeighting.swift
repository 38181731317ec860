import Landmarks
import TensorEngine

/// What a weighting sees of one training step besides the per-sample losses.
public struct WeightingContext {
    /// Network outputs [B, K, h, w] (recorded in the graph).
    public var predictions: Tensor
    /// Targets [B, K, h, w] and presence masks [B, K] (constants).
    public var targets: Tensor
    public var masks: Tensor
    public var ids: [String]
    public var epoch: Int
    public var step: Int
    /// In data-parallel training, where this process's samples sit in the global batch; nil in one process.
    public var share: BatchShare? = nil

    public init(predictions: Tensor, targets: Tensor, masks: Tensor, ids: [String], epoch: Int, step: Int, share: BatchShare? = nil) {
        self.predictions = predictions; self.targets = targets; self.masks = masks; self.ids = ids
        self.epoch = epoch; self.step = step; self.share = share
    }
}

/// The scalar to minimise and the weight each sample got (for logging per-sample difficulty).
public struct WeightedLoss {
    public var loss: Tensor
    public var weights: [Float]
    public init(loss: Tensor, weights: [Float]) { self.loss = loss; self.weights = weights }
}

/// Turns per-sample losses `[B]` into the training loss. The default is the plain mean; Adversarial
/// Focal Loss (docs/AFL.md) plugs in here to multiply each sample's loss by its difficulty, and can keep
/// its own trainable state (a critic and its optimiser) in the checkpoint through `stateTensors`.
public protocol SampleWeighting: AnyObject {
    /// Written into model cards and logs ("mean", "afl").
    var name: String { get }
    func reduce(_ perSample: Tensor, context: WeightingContext) -> WeightedLoss
    /// Everything needed to resume exactly, under names this weighting chooses.
    func stateTensors() -> [String: SafetensorsTensor]
    func load(stateTensors: [String: SafetensorsTensor]) throws
}

/// Every sample counts the same: the batch mean.
public final class MeanWeighting: SampleWeighting {
    public init() {}
    public var name: String { "mean" }
    public func reduce(_ perSample: Tensor, context: WeightingContext) -> WeightedLoss {
        WeightedLoss(loss: perSample.mean(), weights: Array(repeating: 1, count: perSample.count))
    }
    public func stateTensors() -> [String: SafetensorsTensor] { [:] }
    public func load(stateTensors: [String: SafetensorsTensor]) throws {}
}
