import Foundation
import ParallelWork
import XRayIngest

/// Refinement patches packed the way the network wants them.
public struct PatchBatch: Sendable {
    /// N × 1 × S × S.
    public var images: [Float]
    /// N × K × h × w.
    public var heatmaps: [Float]
    /// N × K, one-hot: patch i supervises only its own landmark's channel.
    public var masks: [Float]
    public var samples: [PatchSample]
    public var count: Int { samples.count }
}

/// Prepares patch batches on a background thread, `imagesPerBatch` images at a time. Each image gives
/// `patchesPerImage` patches for landmarks drawn without replacement (all present landmarks when nil).
/// Randomness comes from (seed, epoch, image position), so batches do not depend on thread timing.
public final class PatchBatchLoader: @unchecked Sendable {
    public let batchCount: Int
    private let queue: BoundedQueue<Result<PatchBatch, Error>>

    public init(images: [AnnotatedImage], sampler: PatchSampler, imagesPerBatch: Int, patchesPerImage: Int?,
                shuffle: Bool, seed: UInt64, epoch: Int, dropLast: Bool, queueCapacity: Int = 3) {
        precondition(imagesPerBatch > 0, "PatchBatchLoader: images per batch must be positive")
        let order = EpochOrder.indices(images.count, shuffle: shuffle, seed: seed, epoch: epoch, salt: 0x9A7C)
        batchCount = EpochOrder.batchCount(images.count, batchSize: imagesPerBatch, dropLast: dropLast)
        let q = BoundedQueue<Result<PatchBatch, Error>>(capacity: queueCapacity)
        queue = q
        let count = batchCount, epochOrder = order
        let t = Thread {
            for b in 0..<count {
                let positions = Array(epochOrder[(b * imagesPerBatch)..<min((b + 1) * imagesPerBatch, epochOrder.count)])
                let result = Result {
                    try PatchBatchLoader.assemble(positions.map { images[$0] }, positions: positions, sampler: sampler,
                                                  patchesPerImage: patchesPerImage, seed: seed, epoch: epoch)
                }
                guard q.put(result) else { return }
                if case .failure = result { break }
            }
            q.close()
        }
        t.name = "landmarks.patch-loader"
        t.start()
    }

    /// The next batch in order, nil after the last; rethrows an image's error.
    public func next() throws -> PatchBatch? {
        guard let r = queue.take() else { return nil }
        return try r.get()
    }

    public func cancel() { queue.close() }
    deinit { queue.close() }

    /// Landmarks to cut for one image: a seeded draw of `count` present ones, or all present ones.
    static func chooseLandmarks(_ item: AnnotatedImage, count: Int?, rng: inout SeededRandom) -> [Int] {
        var present = item.landmarks.indices.filter { item.landmarks[$0] != nil }
        guard let count, count < present.count else { return present }
        for i in 0..<count { present.swapAt(i, i + Int(rng.next() % UInt64(present.count - i))) }
        return Array(present[0..<count])
    }

    static func assemble(_ items: [AnnotatedImage], positions: [Int], sampler: PatchSampler, patchesPerImage: Int?,
                         seed: UInt64, epoch: Int) throws -> PatchBatch {
        final class Slots: @unchecked Sendable {
            var results: [Result<[PatchSample], Error>?]
            let lock = NSLock()
            init(_ n: Int) { results = Array(repeating: nil, count: n) }
        }
        let slots = Slots(items.count)
        WorkerPool.shared.forEach(items.count) { i in
            var g = SeededRandom.derive(seed ^ (UInt64(epoch) &* 0x2545_F491), UInt64(positions[i]))
            let chosen = chooseLandmarks(items[i], count: patchesPerImage, rng: &g)
            let r = Result { try sampler.patches(items[i], landmarks: chosen, seed: g.next()) }
            slots.lock.lock(); slots.results[i] = r; slots.lock.unlock()
        }
        let samples = try slots.results.flatMap { try $0!.get() }
        let k = sampler.keypoints
        var batch = PatchBatch(images: [], heatmaps: [], masks: [Float](repeating: 0, count: samples.count * k), samples: samples)
        batch.images.reserveCapacity(samples.count * sampler.config.patchSize * sampler.config.patchSize)
        for (i, s) in samples.enumerated() {
            batch.images += s.image.pixels
            batch.heatmaps += s.heatmaps
            batch.masks[i * k + s.landmark] = 1
        }
        return batch
    }
}
