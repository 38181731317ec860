import DetectorModel
import Foundation
import TensorEngine

/// The progress counters a checkpoint stores next to the tensors. Data order and augmentation are
/// functions of (seed, epoch, image index), so these counters are the whole loader/RNG state.
struct TrainingProgress: Equatable {
    var completedEpochs = 0
    var globalStep = 0
    var bestEpoch: Int?
    var bestMetric: Double?
    var consecutiveNonFinite = 0
}

/// `checkpoints/last.safetensors`: the model's state dict under `model.`, the optimiser's under
/// `optimizer.`, the sample weighting's under `weighting.`, and the counters and configuration as
/// metadata. Written atomically, so a kill leaves the previous checkpoint intact.
enum TrainingCheckpoint {
    static let formatKey = "landmarkkit.training_checkpoint"
    static let formatVersion = "1"
    static let worldSizeKey = "world_size"

    static func archive(network: FPNKeypointNet, optimizer: Adam, weighting: any SampleWeighting,
                        progress: TrainingProgress, configYAML: String, worldSize: Int = 1) -> SafetensorsArchive {
        var tensors: [String: SafetensorsTensor] = [:]
        for (name, t) in network.stateDict().tensors { tensors["model.\(name)"] = t }
        for (name, t) in optimizer.stateTensors(prefix: "optimizer.") { tensors[name] = t }
        for (name, t) in weighting.stateTensors() { tensors["weighting.\(name)"] = t }
        var meta: [String: String] = [
            formatKey: formatVersion,
            "completed_epochs": String(progress.completedEpochs),
            "global_step": String(progress.globalStep),
            "consecutive_non_finite": String(progress.consecutiveNonFinite),
            "weighting": weighting.name,
            "config": configYAML,
            // The ranks that trained it: with local batch norm, resuming needs the same number (see Trainer).
            worldSizeKey: String(worldSize),
        ]
        if let e = progress.bestEpoch, let m = progress.bestMetric {
            meta["best_epoch"] = String(e)
            // Full precision, so "is this epoch better?" decides the same after a resume.
            meta["best_metric"] = String(m.bitPattern)
        }
        return SafetensorsArchive(tensors: tensors, metadata: meta)
    }

    /// Restores everything or nothing: the model loader checks all tensors before copying, and the
    /// optimiser's state is checked before it is replaced.
    static func restore(_ archive: SafetensorsArchive, source: String, network: FPNKeypointNet,
                        optimizer: Adam, weighting: any SampleWeighting) throws -> TrainingProgress {
        guard archive.metadata[formatKey] == formatVersion else {
            throw CheckpointError(message: "\(source): not a LandmarkKit training checkpoint (format \(archive.metadata[formatKey] ?? "none"))")
        }
        func int(_ key: String) throws -> Int {
            guard let v = archive.metadata[key].flatMap({ Int($0) }) else {
                throw CheckpointError(message: "\(source): metadata '\(key)' missing or not an integer")
            }
            return v
        }
        var progress = TrainingProgress()
        progress.completedEpochs = try int("completed_epochs")
        progress.globalStep = try int("global_step")
        progress.consecutiveNonFinite = try int("consecutive_non_finite")
        if let e = archive.metadata["best_epoch"].flatMap({ Int($0) }),
           let bits = archive.metadata["best_metric"].flatMap({ UInt64($0) }) {
            progress.bestEpoch = e
            progress.bestMetric = Double(bitPattern: bits)
        }
        if let saved = archive.metadata["weighting"], saved != weighting.name {
            throw CheckpointError(message: "\(source): saved with weighting '\(saved)', this run uses '\(weighting.name)'")
        }
        var model: [String: SafetensorsTensor] = [:], optim: [String: SafetensorsTensor] = [:], weights: [String: SafetensorsTensor] = [:]
        for (name, t) in archive.tensors {
            if name.hasPrefix("model.") { model[String(name.dropFirst(6))] = t }
            else if name.hasPrefix("optimizer.") { optim[name] = t }
            else if name.hasPrefix("weighting.") { weights[String(name.dropFirst(10))] = t }
        }
        // Validate the model before touching the optimiser, so a mismatched file changes nothing.
        try SafetensorsArchive(tensors: model).validate(against: network.stateSpecs(), source: source)
        try optimizer.load(stateTensors: optim, prefix: "optimizer.")
        try network.load(stateDict: SafetensorsArchive(tensors: model), source: source)
        try weighting.load(stateTensors: weights)
        return progress
    }
}
