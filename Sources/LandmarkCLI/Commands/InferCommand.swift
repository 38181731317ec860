import ArgumentParser
import ClinicalDICOM
import Cluster
import ContrastProtocols
import Foundation
import Inference
import Landmarks

/// `landmark infer`: batch landmark prediction with a trained model directory.
struct Infer: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict landmarks on DICOM/TIFF X-rays with a trained model.",
        discussion: """
        MODEL is a model directory (model.json, weights.safetensors, schema.yaml) or a run directory holding one \
        in model/. Writes into --out: landmarks.csv (image,landmark,x,y,x_mm,y_mm,confidence,present,difficulty; \
        original pixels, mm empty when the image has no spacing, difficulty empty unless the model kept its AFL \
        critic), predictions.coco.json (COCO keypoints, v=2 present, [0,0,0] absent, score per image), \
        summary.json (done, failed with reasons, seconds, images/s, and each image's difficulty hardest first), \
        configuration.json (the run as resolved), with --overlays overlays/<image>.png, and with --labelme \
        labelme/<image>.json plus labelme/<image>.png (see --labelme). Images are named by \
        their path relative to the inputs' common folder, never by patient identity. A file that cannot be read \
        is reported and skipped; it never stops the run.

        Clinical objects, only when asked for: --dicom-sr writes dicom-sr/<image>.sr.dcm, a DICOM Comprehensive SR \
        (TID 1500 measurement report) per DICOM input, and --dicom-gsps writes dicom-gsps/<image>.gsps.dcm, a \
        Grayscale Softcopy Presentation State that shows the landmarks on the image in a viewer. Both reference \
        the image and COPY ITS PATIENT AND STUDY MODULES, as PACS objects must; TIFF inputs get none.
        """)

    @Argument(help: "Model directory, or a run directory containing model/.")
    var model: String

    @Argument(help: "DICOM or TIFF files, or folders to scan recursively.")
    var inputs: [String]

    @Option(help: "Folder to write into.")
    var out: String

    @Option(name: [.customLong("protocol"), .short], help: "Contrast protocol (default: the one the model was trained with).")
    var protocolName: String?

    @Option(name: .customLong("protocols-dir"), help: "Extra folder of protocol YAML files (repeatable).")
    var protocolDirectories: [String] = []

    @Option(help: "Images per forward pass.")
    var batchSize = 4

    @Flag(help: "Also write overlays/<image>.png: the protocol image with the skeleton and landmarks drawn.")
    var overlays = false

    @Flag(name: .customLong("labelme"), help: ArgumentHelp(
        "Also write labelme/<image path without extension>.json and .png: the predictions as LabelMe point shapes for correcting.",
        discussion: "Shapes are labelled with the schema's names; absent landmarks are left out; each shape's description gives "
            + "the confidence. Points are original pixels (integer = pixel centre), as in landmarks.csv. LabelMe cannot open DICOM, "
            + "so imagePath names the PNG beside the JSON: the contrast protocol at full resolution; sourceImage names the input. "
            + "After correcting, put the folder beside images/ and set dataset.yaml 'annotations: {format: labelme, path: labelme}' "
            + "to train on it unchanged."))
    var labelMe = false

    @Option(help: "Overlay file names: 'name' mirrors the inputs; 'difficulty' prefixes rank and AFL difficulty, hardest first, to review those first (needs a model trained with AFL).")
    var overlayOrder: OverlayOrder = .name

    @Option(help: "Presence threshold τ on the heatmap peak (default: the model's).")
    var threshold: Double?

    @Option(help: "Schema name or YAML file the model must have been trained on; refuses a different one.")
    var schema: String?

    @OptionGroup var engine: EngineThreadsOption

    @Option(help: "Decoding threads working ahead of the network.")
    var decodeThreads = 1

    @Option(help: "Images decoded ahead of the network at most.")
    var prefetch = 8

    @Flag(inversion: .prefixedNo, help: "Run the refinement stage of a two-stage model (--no-refine: the first stage alone).")
    var refine = true

    @Flag(name: .customLong("dicom-sr"),
          help: "Also write a DICOM SR (TID 1500 measurement report) per DICOM input; it carries the patient's identity.")
    var dicomSR = false

    @Flag(name: .customLong("dicom-gsps"),
          help: "Also write a DICOM GSPS (landmarks drawn in a viewer) per DICOM input; it carries the patient's identity.")
    var dicomGSPS = false

    @Flag(help: "Exit with status 1 when any file failed.")
    var strict = false

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard decodeThreads >= 1, prefetch >= 1 else { throw ValidationError("--decode-threads and --prefetch must be at least 1") }
        if let t = threshold, !(t > 0 && t <= 1) { throw ValidationError("--threshold must be in (0, 1]") }
        if overlayOrder != .name && !overlays { throw ValidationError("--overlay-order needs --overlays") }
    }

    func run() throws {
        try ClusterSession.run(threads: engine.threads) { try run(on: $0) }
    }

    private func run(on cluster: any Communicator) throws {
        let log = Console.logger("infer")
        var options = InferenceOptions(model: URL(fileURLWithPath: model), inputs: inputs.map { URL(fileURLWithPath: $0) },
                                       output: URL(fileURLWithPath: out))
        options.batchSize = batchSize
        options.overlays = overlays
        options.overlayOrder = overlayOrder
        options.labelMe = labelMe
        options.prefetch = prefetch
        options.decodeThreads = decodeThreads
        options.clinicalObjects = (dicomSR ? [ClinicalObjectKind.structuredReport] : []) + (dicomGSPS ? [.presentationState] : [])
        var predictorOptions = PredictorOptions(protocolName: protocolName, threshold: threshold, refine: refine)
        predictorOptions.protocolLibrary = try ProtocolLibrary.load(userDirectories: protocolDirectories.map { URL(fileURLWithPath: $0) })
        if let schema { predictorOptions.expectSchema(schema) }
        options.predictor = predictorOptions

        let bar = ProgressBar("infer", unit: "images")
        let result: InferenceJob.Result
        do {
            result = try InferenceJob(options: options, communicator: cluster).run { done, total in bar.update(done: done, total: max(total, done)) }
        } catch let error as PredictorError {
            // A refusal is about the model or schema, not the command line: no usage text.
            log.error("\(error.message)")
            throw ExitCode.failure
        }
        let s = result.summary
        Console.print("infer: \(s.imagesDone) images\(s.worldSize > 1 ? " on \(s.worldSize) ranks" : "") in \(String(format: "%.1f", s.seconds)) s "
            + "(\(String(format: "%.2f", s.imagesPerSecond)) images/s), \(s.landmarksPresent) landmarks present, "
            + "\(s.landmarksAbsent) absent → \(out)")
        if let hardest = s.difficulty?.prefix(3), !hardest.isEmpty {
            Console.print("infer: review first (AFL difficulty): "
                + hardest.map { "\($0.image) \(String(format: "%.3f", $0.difficulty))" }.joined(separator: ", "))
        }
        if s.imagesWithoutSpacing > 0 {
            log.info("\(s.imagesWithoutSpacing) image(s) have no pixel spacing: their mm columns are empty")
        }
        for f in s.overlayFailures { log.warning("\(f.image): \(f.reason)") }
        for f in s.labelMeFailures ?? [] { log.warning("\(f.image): \(f.reason)") }
        if let d = s.dicomObjects {
            // Counts and image paths only: what the objects contain (patient, study) never reaches the console.
            Console.print("infer: \(d.written) DICOM object(s) written (\(d.kinds.map(\.folder).joined(separator: ", ")))"
                + (d.notDICOM.isEmpty ? "" : "; \(d.notDICOM.count) non-DICOM image(s) have none"))
            for f in d.failures { log.warning("\(f.image): \(f.reason)") }
        }
        if !s.failures.isEmpty {
            Console.print("infer: \(s.failures.count) file(s) failed:")
            for f in s.failures { Console.print("  \(f.image): \(f.reason)") }
        }
        if strict && !(s.failures.isEmpty && (s.dicomObjects?.failures.isEmpty ?? true)) { throw ExitCode(1) }
    }
}

extension OverlayOrder: ExpressibleByArgument {}
