import Foundation
import RunArtefacts

/// The run directory's training-specific files: the resolved configuration and the metrics table, whose
/// columns are the validator's.
extension RunDirectory {
    public var config: URL { root.appendingPathComponent(TrainConfigFile.runFileName) }

    static let metricsHeader = "epoch,train_loss,val_loss,unit,mre,mre_detected,"
        + Validator.radiiMM.map { "sdr_\(Validator.key($0))" }.joined(separator: ",")
        + ",false_negatives,false_positives,misses,annotated,lr,skipped_steps,seconds"

    static func row(_ r: EpochResult) -> String {
        let v = r.validation
        let sdr = Validator.radiiMM.map { v.successRates[Validator.key($0)].map { String(format: "%.4f", $0) } ?? "" }.joined(separator: ",")
        let detected = v.meanRadialErrorDetected.map { String(format: "%.4f", $0) } ?? ""
        return "\(r.epoch),\(String(format: "%.6g", r.trainLoss)),\(String(format: "%.6g", v.loss)),\(v.unit),"
            + "\(String(format: "%.4f", v.meanRadialError)),\(detected),\(sdr),\(v.falseNegatives),\(v.falsePositives),\(v.misses),"
            + "\(v.annotatedLandmarks),\(String(format: "%.6g", r.learningRate)),\(r.skippedSteps),\(String(format: "%.1f", r.seconds))"
    }

    /// Starts metrics.csv afresh, or on resume keeps only rows up to `keepEpochs` (a run killed after
    /// writing a row but before its checkpoint would otherwise repeat that epoch).
    func prepareMetrics(keepEpochs: Int) throws {
        try Self.prepareEpochTable(metrics, header: Self.metricsHeader, keepEpochs: keepEpochs)
    }

    func appendMetrics(_ r: EpochResult) throws {
        try Self.append(Self.row(r) + "\n", to: metrics)
    }
}
