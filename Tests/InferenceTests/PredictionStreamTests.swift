import Foundation
import Landmarks
import TestSupport
import XCTest
import XRayIngest
@testable import Inference

/// Streaming a known list of images through predictors: the same predictions as batching them in memory, in list
/// order whatever the thread count, each image decoded once for all predictors, and never more images held than
/// the stream's bound.
final class PredictionStreamTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Scratch.directory("stream") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Twelve images of different sizes, so a prediction that lands on the wrong image shows in its size.
    private let images = (0..<12).map { i in Fixture.xray(rows: 60 + 4 * i, columns: 90 - 2 * i) }
    private var urls: [URL] { (0..<12).map { URL(fileURLWithPath: "/in-memory/\($0).dcm") } }

    private final class Decodes: @unchecked Sendable {
        private var n = 0
        private let lock = NSLock()
        func add() { lock.lock(); n += 1; lock.unlock() }
        var count: Int { lock.lock(); defer { lock.unlock() }; return n }
    }

    private func source(_ decodes: Decodes) -> ClosureImageSource {
        let images = images
        return ClosureImageSource { url in
            decodes.add()
            return images[Int(url.deletingPathExtension().lastPathComponent)!]
        }
    }

    func testStreamMatchesInMemoryBatchesInOrderWithBoundedMemory() throws {
        let model = try Fixture.writeModel(to: dir.appendingPathComponent("model"))
        let first = try Predictor.load(model), second = try Predictor.load(model)
        let expected = first.predict(images, batchSize: 2)

        for threads in [1, 3] {
            let decodes = Decodes()
            let stream = PredictionStream(batchSize: 2, prefetch: 1, threads: threads)
            let out = try stream.run(urls, source: source(decodes), predictors: [first, second])
            XCTAssertEqual(out.predictions.count, 2)
            XCTAssertEqual(out.predictions[0], expected, "\(threads) thread(s): same batches, same order as in memory")
            XCTAssertEqual(out.predictions[1], expected, "a second predictor with the same preparer gets the same inputs")
            XCTAssertEqual(out.predictions[0].map(\.height), images.map(\.rows))
            XCTAssertEqual(decodes.count, images.count, "one decode per image, shared by both predictors")
            XCTAssertGreaterThan(out.peakImagesHeld, 0)
            XCTAssertLessThanOrEqual(out.peakImagesHeld, stream.imagesHeldBound, "\(threads) thread(s)")
            XCTAssertLessThan(stream.imagesHeldBound, images.count, "the bound is below the image count, so it was tested")
        }
    }

    func testAnUndecodableImageStopsTheRunWithItsError() throws {
        let predictor = try Predictor.load(try Fixture.writeModel(to: dir.appendingPathComponent("model")))
        struct Unreadable: Error {}
        let source = ClosureImageSource { url in
            if url.lastPathComponent == "5.dcm" { throw Unreadable() }
            return Fixture.xray()
        }
        XCTAssertThrowsError(try PredictionStream(batchSize: 2, prefetch: 1, threads: 2).run(urls, source: source, predictors: [predictor])) {
            XCTAssertTrue($0 is Unreadable, "\($0)")
        }
    }
}
