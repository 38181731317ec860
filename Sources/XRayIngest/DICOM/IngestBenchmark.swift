import Foundation
import ParallelWork

/// Throughput of DICOM ingest (decode + Modality LUT + stored-value hash), for `landmark bench ingest`.
public enum IngestBenchmark {
    /// Figures of one benchmark run (median pass).
    public struct Result: Sendable, Codable {
        public var files: Int
        public var repeats: Int
        public var concurrency: Int
        /// Median wall time of one pass over all files.
        public var secondsMedian: Double
        public var imagesPerSecond: Double
        /// File bytes read per second.
        public var fileMBPerSecond: Double
        /// Float32 pixel bytes produced per second.
        public var pixelMBPerSecond: Double
        public var failures: Int
    }

    /// Decodes `files` `repeats` times (after one warm-up pass) with `concurrency` workers.
    public static func run(files: [URL], repeats: Int = 3, concurrency: Int = 1) -> Result {
        let fileBytes = files.reduce(0) { total, url in
            total + ((try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0)
        }
        let reader = DICOMReader()
        func pass() -> (seconds: Double, pixels: Int, failures: Int) {
            let slots = ResultSlots<(Int, Int)>(count: files.count)
            let start = DispatchTime.now().uptimeNanoseconds
            WorkerPool.shared.forEach(max(1, min(concurrency, files.count))) { _ in
                while let i = slots.claimNext() {
                    if let file = try? reader.read(files[i]) {
                        slots.store((file.image.pixels.count, 0), at: i)
                    } else {
                        slots.store((0, 1), at: i)
                    }
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let values = slots.values()
            return (seconds, values.reduce(0) { $0 + $1.0 }, values.reduce(0) { $0 + $1.1 })
        }
        _ = pass()
        var runs = (0..<max(1, repeats)).map { _ in pass() }
        runs.sort { $0.seconds < $1.seconds }
        let median = runs[runs.count / 2]
        let seconds = max(median.seconds, 1e-9)
        return Result(files: files.count, repeats: runs.count, concurrency: concurrency, secondsMedian: seconds,
                      imagesPerSecond: Double(files.count) / seconds, fileMBPerSecond: Double(fileBytes) / seconds / 1e6,
                      pixelMBPerSecond: Double(median.pixels * 4) / seconds / 1e6, failures: median.failures)
    }
}
