import XCTest
import XRayIngest
@testable import Landmarks

/// docs/CONVENTIONS.md through the real data path (SamplePipeline → BatchLoader): a landmark the annotation omits, and
/// one augmentation pushes out of the crop, are trained toward an all-zero heatmap (mask 1) by default, and
/// masked out (mask 0) only under `AbsentLandmarkPolicy.mask`.
final class AbsentLandmarkPipelineTests: XCTestCase {
    private let size = 64, stride = 4
    private var plane: Int { (size / stride) * (size / stride) }
    private let image = XRayImage(rows: 64, columns: 64, pixels: (0..<(64 * 64)).map { Float($0 % 64) })

    private func pipeline(_ policy: AbsentLandmarkPolicy?, augmenter: Augmenter? = nil, k: Int) -> SamplePipeline {
        var config = SampleConfig(inputWidth: size, inputHeight: size, heatmapStride: stride, sigma: 1.5)
        if let policy { config.absentLandmarks = policy }
        let img = image
        return SamplePipeline(source: ClosureImageSource { _ in img }, schema: .indexed(count: k), config: config,
                              contrast: { im, _ in GrayImage(width: im.columns, height: im.rows, pixels: im.pixels.map { $0 / 63 }) },
                              augmenter: augmenter)
    }

    private func item(_ id: String, _ landmarks: [LandmarkPoint?]) -> AnnotatedImage {
        AnnotatedImage(id: id, relativePath: id + ".dcm", url: URL(fileURLWithPath: "/\(id).dcm"), width: size, height: size,
                       spacing: nil, landmarks: landmarks)
    }

    private func batches(_ images: [AnnotatedImage], _ pipeline: SamplePipeline, epoch: Int = 0) throws -> [TrainingBatch] {
        let loader = BatchLoader(images: images, pipeline: pipeline, batchSize: 2, shuffle: false, seed: 3, epoch: epoch)
        var out: [TrainingBatch] = []
        while let b = try loader.next() { out.append(b) }
        return out
    }

    private func channel(_ batch: TrainingBatch, sample i: Int, landmark c: Int, k: Int) -> ArraySlice<Float> {
        batch.heatmaps[((i * k + c) * plane)..<((i * k + c + 1) * plane)]
    }

    func testUnannotatedLandmarkIsTrainedTowardZeroByDefault() throws {
        let images = [item("a", [LandmarkPoint(x: 20, y: 20), nil, LandmarkPoint(x: 40, y: 30)]),
                      item("b", [nil, LandmarkPoint(x: 32, y: 32), LandmarkPoint(x: 10, y: 50)])]
        for policy in [nil, AbsentLandmarkPolicy.train] {
            let b = try batches(images, pipeline(policy, k: 3))[0]
            XCTAssertEqual(b.masks, [1, 1, 1, 1, 1, 1], "policy \(policy?.rawValue ?? "default")")
            XCTAssertTrue(channel(b, sample: 0, landmark: 1, k: 3).allSatisfy { $0 == 0 })
            XCTAssertTrue(channel(b, sample: 1, landmark: 0, k: 3).allSatisfy { $0 == 0 })
            XCTAssertGreaterThan(channel(b, sample: 0, landmark: 0, k: 3).max()!, 0.5, "a present landmark keeps its Gaussian")
        }
        let masked = try batches(images, pipeline(.mask, k: 3))[0]
        XCTAssertEqual(masked.masks, [1, 0, 1, 0, 1, 1])
        XCTAssertTrue(channel(masked, sample: 0, landmark: 1, k: 3).allSatisfy { $0 == 0 })
    }

    func testLandmarkPushedOutOfTheCropIsTrainedTowardZeroByDefault() throws {
        // Landmark 0 sits 2 px from the left edge and a 30 % shift moves it out in many draws; landmark 1 stays central.
        var aug = AugmentationConfig.geometryOnly
        aug.rotationDegrees = 0; aug.scaleMin = 1; aug.scaleMax = 1; aug.translationFraction = 0.3
        aug.flipProbability = 0; aug.elasticProbability = 0
        let augmenter = Augmenter(config: aug, schema: .indexed(count: 2))
        let images = [item("edge", [LandmarkPoint(x: 2, y: 32), LandmarkPoint(x: 32, y: 32)])]
        var pushedOut = 0
        for epoch in 0..<20 {
            let b = try batches(images, pipeline(nil, augmenter: augmenter, k: 2), epoch: epoch)[0]
            let m = try batches(images, pipeline(.mask, augmenter: augmenter, k: 2), epoch: epoch)[0]
            XCTAssertEqual(b.inputLandmarks, m.inputLandmarks, "the policy must not change the augmentation draw")
            XCTAssertNotNil(b.inputLandmarks[0][1])
            guard b.inputLandmarks[0][0] == nil else {
                XCTAssertEqual(b.masks, [1, 1]); XCTAssertEqual(m.masks, [1, 1])
                continue
            }
            pushedOut += 1
            XCTAssertEqual(b.masks, [1, 1], "epoch \(epoch): default trains the cut-off landmark")
            XCTAssertTrue(channel(b, sample: 0, landmark: 0, k: 2).allSatisfy { $0 == 0 }, "epoch \(epoch): its target is empty")
            XCTAssertEqual(m.masks, [0, 1], "epoch \(epoch): `mask` leaves it out of the loss")
        }
        XCTAssertGreaterThan(pushedOut, 0, "no draw pushed the landmark out; the test proves nothing")
    }
}
