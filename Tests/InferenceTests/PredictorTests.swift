import ContrastProtocols
import DetectorModel
import Landmarks
import TensorEngine
import TestSupport
import XCTest
import XRayIngest
@testable import Inference

final class PredictorTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Scratch.directory("predictor") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testEndToEndShapesDeterminismBatchingAndMM() throws {
        let model = try Fixture.writeModel(to: dir.appendingPathComponent("model"))
        let predictor = try Predictor.load(model)
        XCTAssertEqual(predictor.schema.name, "tiny-3")
        XCTAssertEqual(predictor.protocolName, "high")
        XCTAssertEqual(predictor.threshold, 0.5)
        let spaced = Fixture.xray(rows: 80, columns: 120, spacing: PixelSpacing(rowMM: 0.1, columnMM: 0.2, source: .pixelSpacing))
        let bare = Fixture.xray(rows: 100, columns: 60)
        let a = predictor.predict([spaced, bare], batchSize: 2)
        XCTAssertEqual(a.count, 2)
        XCTAssertEqual(a[0].landmarks.map(\.name), ["top", "left", "right"])
        XCTAssertEqual(a[0].width, 120)
        XCTAssertEqual(a[1].height, 100)
        XCTAssertEqual(a[0].letterbox, Letterbox(sourceWidth: 120, sourceHeight: 80, targetWidth: 64, targetHeight: 64))
        for l in a[0].landmarks {
            XCTAssertTrue(l.x.isFinite && l.y.isFinite && l.confidence.isFinite)
            XCTAssertEqual(l.xMM!, l.x * 0.2, accuracy: 1e-12)
            XCTAssertEqual(l.yMM!, l.y * 0.1, accuracy: 1e-12)
            XCTAssertEqual(l.present, l.confidence >= 0.5)
        }
        XCTAssertTrue(a[1].landmarks.allSatisfy { $0.xMM == nil && $0.yMM == nil })
        // Deterministic, and batching does not change what an image gets.
        let again = predictor.predict([spaced, bare], batchSize: 2)
        XCTAssertEqual(a, again)
        let single = predictor.predict([bare], batchSize: 1)[0]
        for (p, q) in zip(a[1].landmarks, single.landmarks) {
            XCTAssertEqual(p.x, q.x, accuracy: 1e-3)
            XCTAssertEqual(p.y, q.y, accuracy: 1e-3)
            XCTAssertEqual(p.confidence, q.confidence, accuracy: 1e-4)
        }
    }

    /// The predictor's own output, mapped back through its recorded letterbox, agrees with the mapping applied
    /// to the raw heatmaps of the unfused network: fused inference and the decode path are the same computation.
    func testPredictionsMatchTheUnfusedNetworkThroughTheSameMapping() throws {
        let model = try Fixture.writeModel(to: dir.appendingPathComponent("model"), seed: 11)
        let predictor = try Predictor.load(model)
        let image = Fixture.xray(rows: 70, columns: 130)
        let prepared = predictor.prepare(image)
        let fused = predictor.predict([prepared])[0]
        let loaded = try ModelDirectory.load(model)
        let heat = loaded.network.forward(Tensor(prepared.input.pixels, shape: [1, 1, 64, 64])).toArray()
        let reference = predictor.mapping.landmarks(from: heat, letterbox: prepared.letterbox, spacing: nil)
        for (p, q) in zip(fused.landmarks, reference) {
            XCTAssertEqual(p.x, q.x, accuracy: 1e-2)
            XCTAssertEqual(p.y, q.y, accuracy: 1e-2)
            XCTAssertEqual(p.confidence, q.confidence, accuracy: 1e-3)
        }
    }

    func testRefusesASchemaWithAnotherLandmarkCount() throws {
        let model = try Fixture.writeModel(to: dir.appendingPathComponent("model"))
        let two = LandmarkSchema(name: "tiny-3", landmarks: [LandmarkDefinition(name: "top", toleranceMM: 2),
                                                             LandmarkDefinition(name: "left", toleranceMM: 3)])
        XCTAssertThrowsError(try Predictor.load(model, options: PredictorOptions(expectedSchema: two))) { e in
            let err = e as? PredictorError
            XCTAssertEqual(err?.kind, .schemaMismatch)
            XCTAssertTrue(err?.message.contains("2 landmarks") == true && err?.message.contains("3") == true, "\(e)")
        }
        // Same K, other order: also refused, naming the first difference.
        let swapped = LandmarkSchema(name: "tiny-3", landmarks: ["top", "right", "left"].map { LandmarkDefinition(name: $0, toleranceMM: 2) })
        XCTAssertThrowsError(try Predictor.load(model, options: PredictorOptions(expectedSchema: swapped))) { e in
            XCTAssertTrue(String(describing: e).contains("landmark 2"), "\(e)")
        }
        XCTAssertThrowsError(try Predictor.load(model, options: PredictorOptions(expectedSchemaName: "spine-lateral-36"))) { e in
            XCTAssertEqual((e as? PredictorError)?.kind, .schemaMismatch)
        }
        // The model's own schema passes.
        let own = try LandmarkSchema.parse(yaml: Fixture.schemaYAML, file: "own")
        XCTAssertNoThrow(try Predictor.load(model, options: PredictorOptions(expectedSchema: own, expectedSchemaName: "tiny-3")))
    }

    /// A schema the user names is resolved in full when the library knows it (by name or file), else checked by name.
    func testExpectSchemaResolvesNamesAndFilesAndFallsBackToTheName() throws {
        let model = try Fixture.writeModel(to: dir.appendingPathComponent("model"))
        var shipped = PredictorOptions()
        shipped.expectSchema("spine-lateral-36")
        XCTAssertEqual(shipped.expectedSchema?.count, 36)
        XCTAssertNil(shipped.expectedSchemaName)
        XCTAssertThrowsError(try Predictor.load(model, options: shipped)) { XCTAssertTrue("\($0)".contains("36 landmarks"), "\($0)") }

        let file = dir.appendingPathComponent("tiny-3.yaml")
        try Fixture.schemaYAML.write(to: file, atomically: true, encoding: .utf8)
        var fromFile = PredictorOptions()
        fromFile.expectSchema(file.path)
        XCTAssertEqual(fromFile.expectedSchema?.names, ["top", "left", "right"])
        XCTAssertNoThrow(try Predictor.load(model, options: fromFile))

        var unknown = PredictorOptions()
        unknown.expectSchema("no-such-schema")
        XCTAssertNil(unknown.expectedSchema)
        XCTAssertEqual(unknown.expectedSchemaName, "no-such-schema")
        XCTAssertThrowsError(try Predictor.load(model, options: unknown)) { XCTAssertEqual(($0 as? PredictorError)?.kind, .schemaMismatch) }
    }

    func testRefusesAModelWhoseInputChannelsDoNotFitXRays() throws {
        let model = try Fixture.writeModel(to: dir.appendingPathComponent("rgb"), inputChannels: 3)
        XCTAssertThrowsError(try Predictor.load(model)) { e in
            XCTAssertEqual((e as? PredictorError)?.kind, .channelMismatch)
            XCTAssertTrue(String(describing: e).contains("3 input channels"))
        }
    }

    func testRefusesUnknownProtocolAndBadThreshold() throws {
        let model = try Fixture.writeModel(to: dir.appendingPathComponent("model"))
        XCTAssertThrowsError(try Predictor.load(model, options: PredictorOptions(protocolName: "ultra"))) { e in
            XCTAssertEqual((e as? PredictorError)?.kind, .unknownProtocol)
        }
        XCTAssertThrowsError(try Predictor.load(model, options: PredictorOptions(threshold: 1.5))) { e in
            XCTAssertEqual((e as? PredictorError)?.kind, .badThreshold)
        }
        let low = try Predictor.load(model, options: PredictorOptions(protocolName: "lower", threshold: 0.01))
        XCTAssertEqual(low.protocolName, "lower")
        XCTAssertEqual(low.mapping.codec.threshold, 0.01)
    }

    func testRunDirectoryIsAccepted() throws {
        try Fixture.writeModel(to: dir.appendingPathComponent("run/model"))
        XCTAssertEqual(try InputLocation.modelDirectory(dir.appendingPathComponent("run")).lastPathComponent, "model")
        XCTAssertThrowsError(try InputLocation.modelDirectory(dir))
    }
}
