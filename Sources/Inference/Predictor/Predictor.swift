import ContrastProtocols
import DetectorModel
import Foundation
import Landmarks
import TensorEngine
import Training
import XRayIngest

/// Loads a self-contained model directory and predicts landmarks for X-ray images, in original pixels and mm.
///
/// Not thread-safe for `predict` (one network, one caller); `preparer` is a value and may run on other threads.
public final class Predictor {
    public let card: ModelCard
    /// The schema the model directory carries (its `schema.yaml`), checked against the card.
    public let schema: LandmarkSchema
    /// τ in effect (the card's unless overridden).
    public let threshold: Double
    public let protocolName: String
    public let preparer: InputPreparer
    public let mapping: HeatmapMapping
    /// The second stage, when the model directory has one.
    public let refiner: PatchRefiner?
    /// An AFL model's critic, scoring each prediction's difficulty; nil when the model directory has none.
    public let difficultyScorer: DifficultyScorer?
    private let network: FoldedFPN

    /// Reads `directory` with `ModelDirectory.load` and builds the fused network.
    public static func load(_ directory: URL, options: PredictorOptions = PredictorOptions()) throws -> Predictor {
        try Predictor(loaded: ModelDirectory.load(directory), options: options, source: directory.path)
    }

    public init(loaded: ModelDirectory.Loaded, options: PredictorOptions = PredictorOptions(), source: String = "model") throws {
        let card = loaded.card
        let schema = try LandmarkSchema.parse(yaml: loaded.schemaYAML, file: "\(source)/\(ModelCard.schemaFile)")
        guard schema.names == card.landmarkNames, schema.name == card.schemaName else {
            throw PredictorError(.inconsistentModel, "\(source): the model card lists schema '\(card.schemaName)' with \(card.landmarkNames.count) landmarks, "
                + "but its \(ModelCard.schemaFile) is '\(schema.name)' with \(schema.count) (\(schema.names.prefix(5).joined(separator: ", "))…)")
        }
        // Ingest always yields one calibrated channel (colour files become luminance), so a model that wants
        // another channel count cannot be fed any X-ray without guessing a channel layout.
        guard card.network.inputChannels == 1 else {
            throw PredictorError(.channelMismatch, "\(source): the model expects \(card.network.inputChannels) input channels, "
                + "but X-ray images are single-channel greyscale after ingest (colour files are converted to luminance)")
        }
        try Self.checkExpected(options, against: schema, source: source)
        let tau = options.threshold ?? card.presenceThreshold
        guard tau.isFinite, tau > 0, tau <= 1 else {
            throw PredictorError(.badThreshold, "presence threshold \(tau) must be in (0, 1]")
        }
        let name = options.protocolName ?? card.contrastProtocol
        let contrast: ContrastProtocol
        do {
            contrast = try (options.protocolLibrary ?? ProtocolLibrary.load()).named(name)
        } catch {
            throw PredictorError(.unknownProtocol, "contrast protocol '\(name)': \(error)")
        }
        self.card = card
        self.schema = schema
        self.threshold = tau
        self.protocolName = name
        if let stage = card.refinement, options.refine {
            guard let net = loaded.refiner else {
                throw PredictorError(.inconsistentModel, "\(source): the model card has a refinement stage but no refiner weights were loaded")
            }
            refiner = PatchRefiner(stage: stage, network: net)
        } else {
            refiner = nil
        }
        preparer = InputPreparer(contrastProtocol: contrast, inputWidth: card.inputWidth, inputHeight: card.inputHeight,
                                 refinementPixelSize: refiner?.stage.pixelSize)
        let codec = HeatmapCodec(width: card.inputWidth / card.heatmapStride, height: card.inputHeight / card.heatmapStride,
                                 sigma: card.sigma, threshold: Float(tau), refinement: .dark)
        mapping = HeatmapMapping(codec: codec, stride: card.heatmapStride, landmarkNames: card.landmarkNames)
        network = loaded.network.folded()
        difficultyScorer = try loaded.critic.flatMap { weights in
            try card.critic.map { try DifficultyScorer(card: $0, weights: weights, source: "\(source)/\(CriticCard.weightsFile)") }
        }
    }

    /// A user-named schema must be the model's: same name, same K, same landmark order.
    static func checkExpected(_ options: PredictorOptions, against schema: LandmarkSchema, source: String) throws {
        if let want = options.expectedSchema {
            if want.count != schema.count {
                throw PredictorError(.schemaMismatch, "schema '\(want.name)' has \(want.count) landmarks, but the model at \(source) "
                    + "was trained on '\(schema.name)' with \(schema.count): its outputs cannot be relabelled")
            }
            if want.name != schema.name || want.names != schema.names {
                let firstDiff = zip(want.names, schema.names).enumerated().first { $0.element.0 != $0.element.1 }
                let detail = firstDiff.map { "; landmark \($0.offset + 1) is '\($0.element.0)' there but '\($0.element.1)' in the model" } ?? ""
                throw PredictorError(.schemaMismatch, "schema '\(want.name)' differs from the model's '\(schema.name)'\(detail)")
            }
        }
        if let name = options.expectedSchemaName, name != schema.name {
            throw PredictorError(.schemaMismatch, "expected schema '\(name)', but the model at \(source) was trained on '\(schema.name)' (\(schema.count) landmarks)")
        }
    }

    public func prepare(_ image: XRayImage) -> PreparedInput { preparer.prepare(image) }

    /// One batched forward pass without a graph, then decode and map back per image.
    public func predict(_ batch: [PreparedInput]) -> [ImagePrediction] {
        guard !batch.isEmpty else { return [] }
        let w = card.inputWidth, h = card.inputHeight, plane = w * h
        var data = [Float](repeating: 0, count: batch.count * plane)
        for (i, p) in batch.enumerated() {
            precondition(p.input.width == w && p.input.height == h, "Predictor: input \(p.input.width)×\(p.input.height), model \(w)×\(h)")
            data.replaceSubrange((i * plane)..<((i + 1) * plane), with: p.input.pixels)
        }
        // Models trained on logits (focal, QFL) decode on sigmoid heatmaps, as their validation did.
        let out = (card.outputActivation ?? .identity).heatmaps(from: withNoGrad { network(Tensor(data, shape: [batch.count, 1, h, w])) })
        let per = out.count / batch.count
        // The critic scores the first stage's heatmaps: they are what it was trained on.
        let difficulty = difficultyScorer?.difficulty(heatmaps: out)
        var predictions = out.withUnsafeBufferPointer { buf in
            batch.enumerated().map { i, p in
                ImagePrediction(landmarks: mapping.landmarks(from: UnsafeBufferPointer(rebasing: buf[(i * per)..<((i + 1) * per)]),
                                                             letterbox: p.letterbox, spacing: p.spacing),
                                width: p.width, height: p.height, spacing: p.spacing, letterbox: p.letterbox,
                                difficulty: difficulty?[i])
            }
        }
        if let refiner {
            let images = batch.map { p -> RefinementImage in
                precondition(p.refinementImage != nil, "Predictor: input prepared without the refinement image this model needs")
                return p.refinementImage!
            }
            let refined = refiner.refine(images, coarse: predictions.map(\.landmarks), spacings: batch.map(\.spacing))
            for i in predictions.indices { predictions[i].landmarks = refined[i] }
        }
        return predictions
    }

    /// Convenience for images in memory: prepare, then forward in batches of `batchSize`.
    public func predict(_ images: [XRayImage], batchSize: Int = 4) -> [ImagePrediction] {
        let step = max(1, batchSize)
        return stride(from: 0, to: images.count, by: step).flatMap { start in
            predict(images[start..<min(start + step, images.count)].map(prepare))
        }
    }
}
