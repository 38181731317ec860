import Foundation
import XCTest
@testable import Training

/// `landmark train DATASET` with no flags must train the recipe the README documents and docs/ACCURACY.md measures.
final class RecommendedRecipeTests: XCTestCase {
    func testDefaultsAreTheDocumentedRecipe() throws {
        let c = try TrainConfig.resolve(file: nil, overrides: TrainConfigOverrides())
        // README, "The recommended recipe".
        XCTAssertEqual(c.preset, .r18)
        XCTAssertEqual(c.loss, .awing)
        XCTAssertEqual(c.contrastProtocol, .random)
        XCTAssertEqual(c.inputWidth, 256)
        XCTAssertEqual(c.inputHeight, 256)
        XCTAssertEqual(c.epochs, 30)
        XCTAssertEqual(c.batchSize, 8)
        XCTAssertEqual(c.learningRate, 1e-3)
        XCTAssertEqual(c.schedule, .cosine)
        XCTAssertEqual(c.sigma, 2)
        XCTAssertTrue(c.augment)
        XCTAssertEqual(c.modelSelection, .last)
        XCTAssertTrue(c.refine.enabled)
        XCTAssertEqual(c.refine.preset, "refiner")
        XCTAssertEqual(c.refine.patchSize, 128)
        XCTAssertEqual(c.refine.epochs, 40)
        XCTAssertEqual(c.refine.loss, .awing)
        XCTAssertEqual(c.refine.passes, 2)
        XCTAssertNil(c.refine.pixelSize, "derived from the data")
        XCTAssertNil(c.refine.jitter, "derived from the data")
    }
}
