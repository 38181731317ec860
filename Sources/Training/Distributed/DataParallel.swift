import Cluster
import Foundation
import TensorEngine

/// The data-parallel side of the detector's trainer (docs/DISTRIBUTED.md), used only when more than one rank trains.
///
/// Each rank loads its contiguous share of every global batch; the per-sample losses are scaled by share/global
/// batch so that summing gradients over ranks gives exactly the global batch mean's gradient (and synchronised batch
/// norm sees the same upstream gradients as one process). Every decision that skips a step is taken on values all
/// ranks agree on, so no rank can leave the others waiting in a collective.
public final class DataParallel {
    let communicator: any Communicator
    let reducer: CommunicatorReducer
    let batchNorm: BatchNormMode
    /// Floats per gradient bucket (see `defaultBucketElements`).
    let bucketElements: Int
    /// 4 Mi floats (16 MiB): r18's 11.4 M parameters go in 3 collectives, with a bounded extra buffer.
    public static let defaultBucketElements = 1 << 22
    /// Time in the gradient sum, for the per-epoch log and docs/DISTRIBUTED.md.
    private(set) var reduceSeconds = 0.0
    private(set) var reducedSteps = 0

    init(communicator: any Communicator, batchNorm: BatchNormMode, bucketElements: Int = DataParallel.defaultBucketElements) {
        self.communicator = communicator
        self.reducer = CommunicatorReducer(communicator)
        self.batchNorm = batchNorm
        self.bucketElements = bucketElements
    }

    var shard: Shard { communicator.shard }

    /// Synchronised batch norm (when chosen) on every batch-norm layer, and AFL's critic kept in step across ranks.
    func attach(network: Module, weighting: any SampleWeighting) {
        if batchNorm == .synchronized {
            for case let (_, bn as BatchNorm2d) in network.namedModules() { bn.replicas = reducer }
        }
        if let afl = weighting as? AFLWeighting {
            afl.critic.replicas = reducer
            afl.critic.bucketElements = bucketElements
        }
    }

    /// This rank's place in a global batch of `globalCount` samples.
    func share(globalCount: Int) -> BatchShare {
        BatchShare(offset: shard.range(of: globalCount).lowerBound, globalCount: globalCount)
    }

    /// What the ranks agreed after the forward pass.
    struct Agreement {
        /// The global batch's loss (mean over every rank's samples).
        var loss: Float
        /// This rank's samples / the global batch: the factor on its loss before backward.
        var weight: Float
        /// Set when any rank saw a non-finite loss or batch-norm statistic: every rank skips the step.
        var problem: (quantity: String, value: Float)?
    }

    /// One small round trip before the backward pass: Σ loss·b, Σ b, and the non-finite flags.
    func agree(loss: Float, count: Int, statistic: String?) -> Agreement {
        var v = [loss.isFinite ? Double(loss) * Double(count) : 0, Double(count), loss.isFinite ? 0 : 1, statistic == nil ? 0 : 1]
        communicator.allreduceSum(&v)
        let global = Float(v[0] / max(v[1], 1))
        if v[2] > 0 { return Agreement(loss: .nan, weight: 0, problem: ("loss", loss.isFinite ? .nan : loss)) }
        if v[3] > 0 { return Agreement(loss: global, weight: 0, problem: ("batch-norm statistic \(statistic ?? "on another rank")", .nan)) }
        return Agreement(loss: global, weight: Float(Double(count) / v[1]), problem: nil)
    }

    /// Sums the gradients over ranks (each already weighted by its share, so the sum is the global mean's gradient).
    func reduceGradients(_ parameters: [Tensor]) {
        let start = Date()
        var none: [Float] = []
        allreduceGradients(parameters, replicas: reducer, bucketElements: bucketElements, scalars: &none)
        reduceSeconds += Date().timeIntervalSince(start)
        reducedSteps += 1
    }

    /// Local batch norm: the ranks' running statistics drift apart; their mean becomes everyone's, so validation,
    /// checkpoints and the model see one network.
    func averageRunningStatistics(_ network: Module) {
        guard batchNorm == .local else { return }
        let buffers = network.namedBuffers().map(\.1)
        var flat = buffers.flatMap { $0.toArray() }
        communicator.allreduceSum(&flat)
        let scale = 1 / Float(communicator.size)
        var offset = 0
        for t in buffers {
            t.withUnsafeMutableBufferPointer { b in
                for i in b.indices { b[i] = flat[offset + i] * scale }
            }
            offset += t.count
        }
    }

    /// Every rank's per-batch difficulty rows merged on rank 0, batch by batch in rank order: the order one process
    /// would have logged them in. nil on the other ranks.
    func gatherDifficulty(_ batches: [[DifficultyRow]]) throws -> [[DifficultyRow]]? {
        guard let all = try communicator.gather(batches, root: 0) else { return nil }
        return (0..<batches.count).map { b in all.flatMap { $0[b] } }
    }
}

/// One training sample's difficulty in one epoch, as exchanged between ranks.
struct DifficultyRow: Codable, Equatable {
    var image: String
    var difficulty: Float
}
