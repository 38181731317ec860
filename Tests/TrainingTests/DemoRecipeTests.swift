import Foundation
import XCTest
@testable import Training

/// The demo's models differ only in AFL, so its report compares like with like.
final class DemoRecipeTests: XCTestCase {
    func testBaselineAndAFLShareEverythingButAFL() throws {
        let root = URL(fileURLWithPath: "/tmp/demo")
        let recipe = DemoRecipe(dataset: root.appendingPathComponent("phantom"), runsRoot: root.appendingPathComponent("runs"),
                                epochs: 60, inputSize: 256, seed: 1)
        let models = try recipe.models()
        XCTAssertEqual(models.map(\.name), ["baseline", "afl"])
        XCTAssertNil(models[0].config.afl)
        XCTAssertEqual(models[1].config.afl, AFLConfig())
        XCTAssertEqual(models.map(\.config.out), ["/tmp/demo/runs/baseline", "/tmp/demo/runs/afl"])
        var withoutAFL = models[1].config
        withoutAFL.afl = nil
        withoutAFL.out = models[0].config.out
        XCTAssertEqual(try TrainConfigFile.yaml(withoutAFL), try TrainConfigFile.yaml(models[0].config))
        XCTAssertEqual(models[0].config.preset, .small)
        XCTAssertEqual(models[0].config.loss, .awing)
        XCTAssertEqual(models[0].config.learningRate, 3e-3)
        XCTAssertEqual(models[0].config.warmupEpochs, 1)
        XCTAssertEqual(models[0].config.contrastProtocol, .random, "one model serves every protocol the report tests")
        XCTAssertNil(recipe.refinerConfig(), "no refiner epochs, no refiner")
    }

    func testOneRefinerSharesTheModelsSettingsInItsOwnFolder() throws {
        let root = URL(fileURLWithPath: "/tmp/demo")
        let recipe = DemoRecipe(dataset: root.appendingPathComponent("phantom"), runsRoot: root.appendingPathComponent("runs"),
                                epochs: 40, inputSize: 256, seed: 1, refineEpochs: 20)
        let refiner = try XCTUnwrap(recipe.refinerConfig())
        XCTAssertEqual(refiner.out, "/tmp/demo/runs/refiner")
        XCTAssertTrue(refiner.refine.enabled)
        XCTAssertEqual(refiner.refine.epochs, 20)
        var base = try recipe.models()[0].config
        base.out = refiner.out
        XCTAssertEqual(base, refiner)
    }

    func testTinyBudgetsSkipWarmUpAndBadSettingsAreRefused() throws {
        let root = URL(fileURLWithPath: "/tmp/demo")
        var recipe = DemoRecipe(dataset: root, runsRoot: root, epochs: 3, inputSize: 256, seed: 1)
        XCTAssertEqual(try recipe.models()[0].config.warmupEpochs, 0, "a warm-up epoch out of three would waste a third")
        recipe.inputSize = 250
        XCTAssertThrowsError(try recipe.models(), "input sizes must be multiples of 32")
    }
}
