/// The first-stage detector networks a run may train, by the names config files and `--preset` use.
/// Names are read case-insensitively, as they always were, so a config.yaml that says `R18` still loads.
public enum DetectorPreset: String, CaseIterable, Codable, Sendable {
    case small, r18, r50

    /// The preset named `text` in any letter case; nil for an unknown name.
    public init?(caseInsensitive text: String) { self.init(rawValue: text.lowercased()) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let preset = Self(caseInsensitive: text) else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "preset '\(text)' is not one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = preset
    }

    /// The network's architecture for `keypoints` heatmaps.
    public func network(keypoints: Int) -> FPNConfig {
        switch self {
        case .small: .small(keypoints: keypoints)
        case .r18: .r18(keypoints: keypoints)
        case .r50: .r50(keypoints: keypoints)
        }
    }
}
