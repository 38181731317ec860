import Foundation
import XRayIngest
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
            let lock = NSLock()
            var pixels = 0, failures = 0
            let start = DispatchTime.now().uptimeNanoseconds
            WorkerPool.shared.forEach(files.count, width: max(1, concurrency)) { i in
                let count = (try? reader.read(files[i]))?.image.pixels.count
                lock.lock()
                if let count { pixels += count } else { failures += 1 }
                lock.unlock()
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return (seconds, pixels, failures)
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
