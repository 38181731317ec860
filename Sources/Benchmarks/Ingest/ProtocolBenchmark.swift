import ContrastProtocols
import Foundation
import ParallelWork
import XRayIngest

/// Throughput of a contrast protocol over already-decoded images, apart from DICOM decoding,
/// so `landmark bench ingest` can say where ingest time goes.
public enum ProtocolBenchmark {
    public struct Result: Sendable, Codable {
        public var protocolName: String
        public var images: Int
        public var repeats: Int
        public var concurrency: Int
        public var secondsMedian: Double
        public var imagesPerSecond: Double
        /// Float32 pixel bytes processed per second.
        public var pixelMBPerSecond: Double
    }

    /// Applies `contrast` to every image `repeats` times (after a warm-up pass) with `concurrency` workers.
    public static func run(_ contrast: ContrastProtocol, images: [XRayImage], repeats: Int = 3, concurrency: Int = 1) -> Result {
        let pixelBytes = images.reduce(0) { $0 + $1.pixels.count * 4 }
        func pass() -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            WorkerPool.shared.forEach(images.count, width: max(1, concurrency)) { i in _ = contrast.apply(to: images[i]) }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        _ = pass()
        let times = (0..<max(1, repeats)).map { _ in pass() }.sorted()
        let median = max(times[times.count / 2], 1e-9)
        return Result(protocolName: contrast.name, images: images.count, repeats: times.count, concurrency: concurrency,
                      secondsMedian: median, imagesPerSecond: Double(images.count) / median,
                      pixelMBPerSecond: Double(pixelBytes) / median / 1e6)
    }
}
