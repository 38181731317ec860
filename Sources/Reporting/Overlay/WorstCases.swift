import Landmarks

/// One image chosen as a worst case, and where its overlay was written (relative to the report folder).
public struct WorstCase: Sendable, Equatable, Codable {
    public var model: String
    public var contrastProtocol: String
    public var image: String
    public var falseNegatives: Int
    public var misses: Int
    public var falsePositives: Int
    public var mrePX: Double?
    /// Relative path of the PNG inside the report folder.
    public var file: String
}

/// Ranks images from worst to best for one evaluation.
public enum WorstCaseRanking {
    /// Most failures first (FN + misses + FP: each a landmark a reader would have to correct), then the
    /// larger px MRE; ties by name for a stable order.
    public static func rank(_ images: [ImageEvaluation]) -> [ImageEvaluation] {
        images.sorted { a, b in
            let fa = a.summary.falseNegatives + a.summary.misses + a.summary.falsePositives
            let fb = b.summary.falseNegatives + b.summary.misses + b.summary.falsePositives
            if fa != fb { return fa > fb }
            let ea = a.summary.mrePX ?? -1, eb = b.summary.mrePX ?? -1
            if ea != eb { return ea > eb }
            return a.id < b.id
        }
    }
}
