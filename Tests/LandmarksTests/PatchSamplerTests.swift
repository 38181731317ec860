import Foundation
import XCTest
import XRayIngest
@testable import Landmarks

/// Refinement training patches: each supervises exactly its own landmark, at the annotation's place.
final class PatchSamplerTests: XCTestCase {
    static let truth: [LandmarkPoint?] = [LandmarkPoint(x: 60.4, y: 80.6), nil, LandmarkPoint(x: 150.2, y: 40.9)]

    func item(_ i: Int) -> AnnotatedImage {
        AnnotatedImage(id: "img-\(i)", relativePath: "img-\(i).tif", url: URL(fileURLWithPath: "/fake/\(i)"), width: 200, height: 160,
                       spacing: PixelSpacing(rowMM: 0.3, columnMM: 0.3, source: .manifest), landmarks: Self.truth)
    }

    func sampler(augment: Bool, jitter: Double = 6) -> PatchSampler {
        var c = PatchSampleConfig()
        c.patchSize = 64; c.pixelSize = 1; c.jitter = jitter; c.sigma = 1.5
        let source = ClosureImageSource { _ in
            XRayImage(rows: 160, columns: 200, pixels: (0..<(160 * 200)).map { Float($0 % 200 + $0 / 200) })
        }
        return PatchSampler(source: source, keypoints: 3, config: c, contrast: PercentileWindow.applier, defaultProtocol: nil,
                            augment: augment)
    }

    func testTargetPeakSitsOnTheAnnotationAndJitterStaysWithinItsLimit() throws {
        let s = sampler(augment: true)
        for seed in UInt64(0)..<20 {
            let patches = try s.patches(item(0), landmarks: [0, 1, 2], seed: seed)
            // The absent landmark gives no patch: there is nothing to refine toward.
            XCTAssertEqual(patches.map(\.landmark), [0, 2])
            for p in patches {
                let truth = Self.truth[p.landmark]!
                XCTAssertLessThanOrEqual(abs(p.window.center.x - truth.x), 2.5 * 6 + 1e-9)
                XCTAssertLessThanOrEqual(abs(p.window.center.y - truth.y), 2.5 * 6 + 1e-9)
                let plane = 16 * 16
                let channel = Array(p.heatmaps[(p.landmark * plane)..<((p.landmark + 1) * plane)])
                let codec = HeatmapCodec(width: 16, height: 16, sigma: 1.5, threshold: 0.1)
                let found = channel.withUnsafeBufferPointer { p.window.landmark(in: $0, codec: codec, stride: 4) }
                XCTAssertEqual(found!.x, truth.x, accuracy: 0.1)
                XCTAssertEqual(found!.y, truth.y, accuracy: 0.1)
                // Other channels carry nothing.
                let others = p.heatmaps.enumerated().filter { $0.offset / plane != p.landmark }.map(\.element)
                XCTAssertEqual(others.max(), 0)
            }
        }
    }

    func testBatchMasksAreOneHotAndValidationDrawsAreRepeatable() throws {
        let items = (0..<3).map(item)
        let loader = PatchBatchLoader(images: items, sampler: sampler(augment: false), imagesPerBatch: 2, patchesPerImage: nil,
                                      shuffle: false, seed: 9, epoch: 0, dropLast: false)
        var batches: [PatchBatch] = []
        while let b = try loader.next() { batches.append(b) }
        XCTAssertEqual(batches.map(\.count), [4, 2])
        for b in batches {
            XCTAssertEqual(b.images.count, b.count * 64 * 64)
            for (i, s) in b.samples.enumerated() {
                XCTAssertEqual(Array(b.masks[(i * 3)..<(i * 3 + 3)]), (0..<3).map { $0 == s.landmark ? 1 : 0 })
            }
        }
        let again = PatchBatchLoader(images: items, sampler: sampler(augment: false), imagesPerBatch: 2, patchesPerImage: nil,
                                     shuffle: false, seed: 9, epoch: 0, dropLast: false)
        XCTAssertEqual(try again.next()!.samples.map(\.window), batches[0].samples.map(\.window))
    }

    func testPatchesPerImageDrawsThatManyDistinctPresentLandmarks() {
        var rng = SeededRandom(seed: 1)
        let item = AnnotatedImage(id: "x", relativePath: "x", url: URL(fileURLWithPath: "/x"), width: 10, height: 10, spacing: nil,
                                  landmarks: (0..<10).map { $0 == 3 ? nil : LandmarkPoint(x: Double($0), y: 0) })
        for _ in 0..<20 {
            let chosen = PatchBatchLoader.chooseLandmarks(item, count: 4, rng: &rng)
            XCTAssertEqual(Set(chosen).count, 4)
            XCTAssertFalse(chosen.contains(3))
        }
        XCTAssertEqual(PatchBatchLoader.chooseLandmarks(item, count: nil, rng: &rng).count, 9)
    }
}
