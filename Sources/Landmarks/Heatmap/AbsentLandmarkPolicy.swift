/// What the loss does with a landmark that has no position in a sample: the annotation omits it or marks it
/// not present, or augmentation pushed it out of the crop (docs/CONVENTIONS.md).
public enum AbsentLandmarkPolicy: String, Sendable, Codable, CaseIterable {
    /// Trained toward an all-zero heatmap (mask 1, zero target): the detector learns "nothing here", which is
    /// what discourages false positives and keeps AFL's critic judging predictions rather than annotation gaps.
    case train
    /// Left out of the loss (mask 0). Only right when a missing annotation means "not labelled" rather than
    /// "not there", for example a dataset that labels a subset of the schema.
    case mask
}
