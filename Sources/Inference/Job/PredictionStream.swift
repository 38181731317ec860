import Foundation
import Landmarks
import XRayIngest

/// Predicts a known, ordered list of images with one or more models in batches, holding only a bounded window
/// of images: worker threads decode and prepare ahead of the network through `OrderedPrefetch`, and each
/// prepared input is dropped once its batch has run. Memory is set by `threads`, `prefetch` and `batchSize`,
/// not by the number of images.
///
/// Batches are consecutive runs of `batchSize` images in list order, the same whatever the thread count. Models
/// whose `InputPreparer`s are equal share one prepared input per image, and every image is decoded once per run.
public struct PredictionStream: Sendable {
    public var batchSize: Int
    /// Images each worker thread decodes and prepares ahead of the network.
    public var prefetch: Int
    /// Decoding and preparing threads (the network uses the engine's threads).
    public var threads: Int

    public init(batchSize: Int = 4, prefetch: Int = 4, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.batchSize = max(1, batchSize); self.prefetch = max(1, prefetch); self.threads = max(1, threads)
    }

    /// What a run produced.
    public struct Output {
        /// Per predictor (in the order given), one prediction per image, in image order.
        public var predictions: [[ImagePrediction]]
        /// The most images that were prepared but not yet through the network at any one time.
        public var peakImagesHeld: Int
    }

    /// The most images a run can hold at once: each thread's queue and the image it is making, plus a batch.
    public var imagesHeldBound: Int { threads * (prefetch + 1) + batchSize }

    /// Decodes `urls` through `source` and predicts them with every predictor. A file that cannot be decoded
    /// stops the run with its error: the caller chose these images, so none may silently go missing.
    /// `progress(done)` is called on the calling thread after each batch with the images predicted so far.
    public func run(_ urls: [URL], source: ImageSource, predictors: [Predictor],
                    progress: ((Int) -> Void)? = nil) throws -> Output {
        var preparers: [InputPreparer] = [], inputOf: [Int] = []
        for p in predictors {
            if let k = preparers.firstIndex(of: p.preparer) { inputOf.append(k) } else { inputOf.append(preparers.count); preparers.append(p.preparer) }
        }
        let held = PeakCounter(), shared = preparers
        let ahead = OrderedPrefetch<Result<[PreparedInput], Error>>(count: urls.count, threads: threads, depth: prefetch) { i in
            let item = Result { () throws -> [PreparedInput] in
                let xray = try source.image(at: urls[i])
                return shared.map { $0.prepare(xray) }
            }
            held.add(1)
            return item
        }
        defer { ahead.cancel() }
        var predictions = [[ImagePrediction]](repeating: [], count: predictors.count)
        var batch: [[PreparedInput]] = [], done = 0
        func flush() {
            guard !batch.isEmpty else { return }
            for (m, predictor) in predictors.enumerated() { predictions[m] += predictor.predict(batch.map { $0[inputOf[m]] }) }
            held.add(-batch.count)
            done += batch.count
            batch.removeAll(keepingCapacity: true)
            progress?(done)
        }
        while let item = ahead.next() {
            batch.append(try item.get())
            if batch.count >= batchSize { flush() }
        }
        flush()
        return Output(predictions: predictions, peakImagesHeld: held.peak)
    }
}

/// A count changed from several threads that remembers its highest value.
final class PeakCounter: @unchecked Sendable {
    private var value = 0, highest = 0
    private let lock = NSLock()
    func add(_ n: Int) { lock.lock(); value += n; highest = max(highest, value); lock.unlock() }
    var peak: Int { lock.lock(); defer { lock.unlock() }; return highest }
}
