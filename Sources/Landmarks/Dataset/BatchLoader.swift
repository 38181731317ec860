import Foundation
import ParallelWork
import XRayIngest

/// B samples packed the way the network wants them.
public struct TrainingBatch: Sendable {
    public var ids: [String]
    /// B × 1 × H × W.
    public var images: [Float]
    /// B × K × h × w.
    public var heatmaps: [Float]
    /// B × K loss masks: 1 = in the loss (present, or absent and trained toward zero), 0 = masked out.
    public var masks: [Float]
    public var transforms: [SpatialTransform]
    public var inputLandmarks: [[LandmarkPoint?]]
    /// Annotations in original pixels and the images' spacing, for metrics in px and mm.
    public var originalLandmarks: [[LandmarkPoint?]]
    public var spacings: [PixelSpacing?]
    public var protocolNames: [String?]
    public var count: Int { ids.count }
}

/// A blocking FIFO with a fixed capacity: the producer waits when it is full, the consumer when it is empty.
final class BoundedQueue<Element>: @unchecked Sendable {
    private var items: [Element] = []
    private let capacity: Int
    private let cond = NSCondition()
    private var closed = false

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// false when the queue was closed (the consumer gave up).
    func put(_ e: Element) -> Bool {
        cond.lock(); defer { cond.unlock() }
        while items.count >= capacity && !closed { cond.wait() }
        guard !closed else { return false }
        items.append(e)
        cond.broadcast()
        return true
    }

    /// nil once closed and drained.
    func take() -> Element? {
        cond.lock(); defer { cond.unlock() }
        while items.isEmpty && !closed { cond.wait() }
        guard !items.isEmpty else { return nil }
        let e = items.removeFirst()
        cond.broadcast()
        return e
    }

    func close() { cond.lock(); closed = true; cond.broadcast(); cond.unlock() }
}

/// The order an epoch visits its items in, and how many batches that makes: shared by the image and patch loaders.
enum EpochOrder {
    /// A Fisher–Yates shuffle seeded by (seed, epoch, salt); `salt` keeps loaders of different kinds from
    /// walking the same order.
    static func indices(_ count: Int, shuffle: Bool, seed: UInt64, epoch: Int, salt: UInt64) -> [Int] {
        var order = Array(0..<count)
        guard shuffle else { return order }
        var rng = SeededRandom.derive(seed, UInt64(epoch) &+ salt)
        for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return order
    }

    /// Full batches, plus a ragged last one unless it is dropped.
    static func batchCount(_ count: Int, batchSize: Int, dropLast: Bool) -> Int {
        count / batchSize + (dropLast || count % batchSize == 0 ? 0 : 1)
    }
}

/// Prepares batches on a background thread into a bounded queue, so training never waits on decoding or augmentation.
/// Each sample's randomness comes from (seed, epoch, position), so batches are identical however threads interleave.
public final class BatchLoader: @unchecked Sendable {
    public let batchCount: Int
    private let queue: BoundedQueue<Result<TrainingBatch, Error>>
    private var thread: Thread?

    /// The same image gets the same augmentation within an epoch whatever the shuffle, and a new one each epoch.
    /// - Parameters:
    ///   - queueCapacity: ready batches kept ahead of the consumer.
    ///   - parallelSamples: build the samples of one batch on all cores.
    ///   - share: for data-parallel training, this process's part of each (global) batch, given that batch's size;
    ///     nil = the whole batch. A sample's augmentation depends on its position in the epoch, not on who loads it.
    public init(images: [AnnotatedImage], pipeline: SamplePipeline, batchSize: Int, shuffle: Bool, seed: UInt64,
                epoch: Int = 0, dropLast: Bool = false, queueCapacity: Int = 4, parallelSamples: Bool = true,
                share: (@Sendable (Int) -> Range<Int>)? = nil) {
        precondition(batchSize > 0, "BatchLoader: batch size must be positive")
        let order = EpochOrder.indices(images.count, shuffle: shuffle, seed: seed, epoch: epoch, salt: 0x5EED)
        batchCount = EpochOrder.batchCount(images.count, batchSize: batchSize, dropLast: dropLast)
        let q = BoundedQueue<Result<TrainingBatch, Error>>(capacity: queueCapacity)
        queue = q
        let count = batchCount
        let epochOrder = order
        let t = Thread {
            for b in 0..<count {
                var idx = Array(epochOrder[(b * batchSize)..<min((b + 1) * batchSize, epochOrder.count)])
                if let share { idx = Array(idx[share(idx.count)]) }
                let result = Result { try BatchLoader.assemble(idx.map { images[$0] }, positions: idx,
                                                               pipeline: pipeline, seed: seed, epoch: epoch, parallel: parallelSamples) }
                guard q.put(result) else { return }
                if case .failure = result { break }
            }
            q.close()
        }
        t.name = "landmarks.batch-loader"
        t.start()
        thread = t
    }

    /// The next batch in order, nil after the last; rethrows a sample's error.
    public func next() throws -> TrainingBatch? {
        guard let r = queue.take() else { return nil }
        return try r.get()
    }

    /// Stops the producer early (it exits at its next put).
    public func cancel() { queue.close() }

    deinit { queue.close() }

    static func assemble(_ items: [AnnotatedImage], positions: [Int], pipeline: SamplePipeline, seed: UInt64,
                         epoch: Int, parallel: Bool) throws -> TrainingBatch {
        final class Slots: @unchecked Sendable {
            var samples: [Result<TrainingSample, Error>?]
            let lock = NSLock()
            init(_ n: Int) { samples = Array(repeating: nil, count: n) }
        }
        let slots = Slots(items.count)
        let work: @Sendable (Int) -> Void = { (i: Int) in
            var g = SeededRandom.derive(seed ^ (UInt64(epoch) &* 0x9E37_79B9), UInt64(positions[i]))
            let s = g.next()
            let r = Result { try pipeline.makeSample(items[i], seed: s) }
            slots.lock.lock(); slots.samples[i] = r; slots.lock.unlock()
        }
        if parallel { WorkerPool.shared.forEach(items.count, work) } else { for i in 0..<items.count { work(i) } }
        let samples = try slots.samples.map { try $0!.get() }
        var batch = TrainingBatch(ids: [], images: [], heatmaps: [], masks: [], transforms: [], inputLandmarks: [], originalLandmarks: [], spacings: [], protocolNames: [])
        let c = pipeline.config
        batch.images.reserveCapacity(samples.count * c.inputWidth * c.inputHeight)
        batch.heatmaps.reserveCapacity(samples.count * pipeline.schema.count * c.heatmapWidth * c.heatmapHeight)
        for s in samples {
            batch.ids.append(s.id)
            batch.images += s.image.pixels
            batch.heatmaps += s.target.heatmaps
            batch.masks += s.target.mask
            batch.transforms.append(s.transform)
            batch.inputLandmarks.append(s.inputLandmarks)
            batch.originalLandmarks.append(s.originalLandmarks)
            batch.spacings.append(s.spacing)
            batch.protocolNames.append(s.protocolName)
        }
        return batch
    }
}
