import Foundation

extension TrainConfig {
    /// A setting that may differ between a checkpoint and the run that resumes it.
    struct ResumableSetting {
        let key: CodingKeys
        /// Copies the setting from the resuming configuration into the checkpoint's, so it drops out of the comparison.
        let adopt: (inout TrainConfig, TrainConfig) -> Void

        init<T>(_ key: CodingKeys, _ path: WritableKeyPath<TrainConfig, T>) {
            self.key = key
            adopt = { $0[keyPath: path] = $1[keyPath: path] }
        }
    }

    /// The settings that may change when a run resumes. Every other setting must equal the checkpoint's: the
    /// comparison uses `==`, so a setting added later is compared unless it is listed here.
    static let mayChangeOnResume: [ResumableSetting] = [
        // A run may be extended (`train --resume --epochs n`); the schedule then follows the new count.
        .init(.epochs, \.epochs),
        // Results are reproducible for a given thread count; choosing another is the user's call.
        .init(.threads, \.threads),
        // Paths: the dataset, the run and the cache may have moved.
        .init(.dataset, \.dataset),
        .init(.schema, \.schema),
        .init(.out, \.out),
        .init(.cacheDirectory, \.cacheDirectory),
        .init(.validationFraction, \.validationFraction),
        // Act on reporting and model choice, not on the weights an epoch produces.
        .init(.presenceThreshold, \.presenceThreshold),
        .init(.maxConsecutiveNonFinite, \.maxConsecutiveNonFinite),
        .init(.modelSelection, \.modelSelection),
        // The refinement stage keeps its own checkpoint and its own resume check.
        .init(.refine, \.refine),
    ]

    /// The config.yaml keys whose values differ between `saved` (a checkpoint's) and `current`, except those in
    /// `mayChangeOnResume`; empty when the run may resume.
    static func resumeBreakingDifferences(_ saved: TrainConfig, _ current: TrainConfig) -> [String] {
        var comparable = saved
        for setting in mayChangeOnResume { setting.adopt(&comparable, current) }
        guard comparable != current else { return [] }
        let a = encodedSettings(comparable), b = encodedSettings(current)
        let differing = CodingKeys.allCases.map(\.rawValue).filter { key in
            switch (a[key], b[key]) {
            case (nil, nil): false
            case (let x?, let y?): !x.isEqual(y)
            default: true
            }
        }
        // Equal files but unequal values would mean a setting that config.yaml does not hold; name it generically.
        return differing.isEmpty ? ["a setting not written to config.yaml"] : differing
    }

    /// Each setting as its config.yaml key and value.
    private static func encodedSettings(_ config: TrainConfig) -> [String: NSObject] {
        guard let data = try? JSONEncoder().encode(config),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? NSObject }
    }
}
