import XCTest
import XRayIngest
@testable import Landmarks

final class LoaderAndCacheTests: XCTestCase {
    /// Counts decodes, so the cache's effect is visible.
    final class CountingSource: ImageSource, @unchecked Sendable {
        let inner = TextHeaderSource()
        private let lock = NSLock()
        private(set) var calls = 0
        func image(at url: URL) throws -> XRayImage {
            lock.lock(); calls += 1; lock.unlock()
            var im = try inner.image(at: url)
            im.windows = [WindowPreset(center: 10, width: 20, explanation: "P1-P99")]
            im.valueRange = 0...4095
            im.photometric = .monochrome1
            return im
        }
    }

    func testCacheStoresCalibratedPixelsAndInvalidatesOnChange() throws {
        let dir = try TestPaths.tempDir()
        let file = dir.appendingPathComponent("x.dcm")
        try "30 20 0.25".write(to: file, atomically: true, encoding: .utf8)
        let counting = CountingSource()
        let cache = try DecodedImageCache(directory: dir.appendingPathComponent("cache"), upstream: counting)
        let first = try cache.image(at: file)
        let second = try cache.image(at: file)
        XCTAssertEqual(counting.calls, 1, "second read comes from the cache")
        XCTAssertEqual(first.pixels, second.pixels)
        XCTAssertEqual(second.rows, 20); XCTAssertEqual(second.columns, 30)
        XCTAssertEqual(second.spacing, first.spacing)
        XCTAssertEqual(second.windows, first.windows)
        XCTAssertEqual(second.photometric, .monochrome1)
        XCTAssertEqual(second.valueRange, 0...4095)
        XCTAssertEqual(cache.statistics.hits, 1)
        // A changed file (new size) gets a new key and is decoded again.
        try "31 20 0.25".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cache.image(at: file).columns, 31)
        XCTAssertEqual(counting.calls, 2)
        // Another cache instance over the same folder reads without decoding.
        let again = try DecodedImageCache(directory: dir.appendingPathComponent("cache"), upstream: counting)
        _ = try again.image(at: file)
        XCTAssertEqual(counting.calls, 2)
    }

    func makeDataset(count: Int) throws -> (LandmarkDataset, URL) {
        let root = try TestPaths.tempDir()
        var imgs: [String: (w: Int, h: Int)] = [:], csv = "image,landmark,x,y\n"
        for i in 0..<count {
            imgs["im\(i)"] = (80 + i, 60)
            csv += "im\(i),1,\(10 + i),20\nim\(i),2,50,\(30 + i % 7)\n"
        }
        try makeTextDataset(at: root, images: imgs, csv: csv)
        var o = DatasetLoadOptions(); o.schema = .indexed(count: 3)
        return (try LandmarkDataset.load(root: root, source: TextHeaderSource(), options: o), root)
    }

    func testBatchLoaderShapesOrderAndDeterminism() throws {
        let (ds, _) = try makeDataset(count: 7)
        var aug = AugmentationConfig(); aug.protocols = []
        let pipeline = SamplePipeline(source: TextHeaderSource(), schema: ds.schema,
                                      config: SampleConfig(inputWidth: 32, inputHeight: 32, heatmapStride: 4, sigma: 1),
                                      augmenter: Augmenter(config: aug, schema: ds.schema))
        func run(seed: UInt64, epoch: Int) throws -> [TrainingBatch] {
            let loader = BatchLoader(images: ds.images, pipeline: pipeline, batchSize: 3, shuffle: true, seed: seed, epoch: epoch, queueCapacity: 2)
            XCTAssertEqual(loader.batchCount, 3)
            var out: [TrainingBatch] = []
            while let b = try loader.next() { out.append(b) }
            return out
        }
        let a = try run(seed: 1, epoch: 0), b = try run(seed: 1, epoch: 0), c = try run(seed: 1, epoch: 1)
        XCTAssertEqual(a.map(\.count), [3, 3, 1])
        XCTAssertEqual(a[0].images.count, 3 * 32 * 32)
        XCTAssertEqual(a[0].heatmaps.count, 3 * 3 * 8 * 8)
        XCTAssertEqual(a[0].masks.count, 9)
        XCTAssertEqual(a[0].originalLandmarks[0], ds.images.first { $0.id == a[0].ids[0] }!.landmarks)
        XCTAssertEqual(a[0].spacings[0]?.rowMM, 0.5)
        XCTAssertEqual(Set(a.flatMap(\.ids)), Set(ds.images.map(\.id)), "every image once per epoch")
        XCTAssertEqual(a.flatMap(\.ids), b.flatMap(\.ids))
        XCTAssertEqual(a.map(\.images), b.map(\.images), "same seed, same pixels, whatever the threads did")
        XCTAssertNotEqual(a.flatMap(\.ids), c.flatMap(\.ids), "a new epoch reshuffles")
        // Landmark 3 is never annotated: it is trained (mask 1) toward an empty heatmap (docs/CONVENTIONS.md).
        let plane = 8 * 8
        for batch in a { for i in 0..<batch.count {
            XCTAssertEqual(batch.masks[i * 3 + 2], 1)
            XCTAssertTrue(batch.heatmaps[((i * 3 + 2) * plane)..<((i * 3 + 3) * plane)].allSatisfy { $0 == 0 })
        } }
        // Every landmark is in the loss by default, whether it stayed inside the crop or not.
        XCTAssertTrue(a.allSatisfy { $0.masks.allSatisfy { $0 == 1 } })
    }

    func testEvaluationPipelineMapsPredictionsBackToOriginalPixels() throws {
        let (ds, _) = try makeDataset(count: 2)
        let pipeline = SamplePipeline(source: TextHeaderSource(), schema: ds.schema,
                                      config: SampleConfig(inputWidth: 64, inputHeight: 48, heatmapStride: 4, sigma: 1.5))
        let item = ds.images[1]
        let s = try pipeline.makeSample(item, seed: 0)
        // The target heatmaps, decoded as if they were the network's output, give back the annotation in original pixels.
        let decoded = pipeline.decodeToOriginal(s.target.heatmaps, transform: s.transform)
        for k in 0..<2 {
            XCTAssertTrue(decoded[k].present)
            XCTAssertLessThan(decoded[k].point.distance(to: item.landmarks[k]!), 0.05 * 4 / s.transform.affine.a)
        }
        XCTAssertFalse(decoded[2].present)
        XCTAssertTrue(s.image.pixels.allSatisfy { (0...1).contains($0) })
    }

    func testCancelStopsTheProducer() throws {
        let (ds, _) = try makeDataset(count: 6)
        let pipeline = SamplePipeline(source: TextHeaderSource(), schema: ds.schema,
                                      config: SampleConfig(inputWidth: 16, inputHeight: 16, heatmapStride: 4, sigma: 1))
        let loader = BatchLoader(images: ds.images, pipeline: pipeline, batchSize: 1, shuffle: false, seed: 0, queueCapacity: 1)
        XCTAssertNotNil(try loader.next())
        loader.cancel()
        var rest = 0
        while (try loader.next()) != nil { rest += 1 }
        XCTAssertLessThanOrEqual(rest, 1, "at most the batch already queued")
    }

    func testErrorsInASampleReachTheConsumer() throws {
        let (ds, root) = try makeDataset(count: 2)
        try "broken".write(to: root.appendingPathComponent("images/im1.dcm"), atomically: true, encoding: .utf8)
        let pipeline = SamplePipeline(source: TextHeaderSource(), schema: ds.schema,
                                      config: SampleConfig(inputWidth: 16, inputHeight: 16, heatmapStride: 4, sigma: 1))
        let loader = BatchLoader(images: ds.images, pipeline: pipeline, batchSize: 2, shuffle: false, seed: 0)
        XCTAssertThrowsError(try loader.next())
    }
}
