import TensorEngine

/// The base loss a run trains with, by name (`mse`, `l1`, `awing`, `focal`, `qfl`) for the CLI and config
/// files, with its parameters. AFL wraps any of them through `perSample(prediction:target:mask:)`.
///
/// Coded flat, e.g. `{name: awing, alpha: 2.1, omega: 14}`: parameters left out take their defaults, so a
/// config may say just `name: focal`.
public enum BaseLoss: PerSampleLoss, Equatable {
    case mse
    case l1
    case awing(AdaptiveWingLoss)
    case focal(FocalHeatmapLoss)
    case qfl(QualityFocalLoss)

    /// A base loss by name, without parameters: the `loss:` setting and `--loss`. Read case-insensitively,
    /// as it always was, so an old config.yaml that says `AWing` still loads.
    public enum Name: String, CaseIterable, Codable, Sendable {
        case mse, l1, awing, focal, qfl

        /// The name `text` in any letter case; nil for an unknown name.
        public init?(caseInsensitive text: String) { self.init(rawValue: text.lowercased()) }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            guard let name = Self(caseInsensitive: text) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown base loss '\(text)'; expected one of \(BaseLoss.names.joined(separator: ", "))")
            }
            self = name
        }
    }

    /// Every accepted name, in the order `--help` lists them.
    public static let names = Name.allCases.map(\.rawValue)

    /// The loss with this name and default parameters.
    public init(_ name: Name) {
        switch name {
        case .mse: self = .mse
        case .l1: self = .l1
        case .awing: self = .awing(AdaptiveWingLoss())
        case .focal: self = .focal(FocalHeatmapLoss())
        case .qfl: self = .qfl(QualityFocalLoss())
        }
    }

    /// The loss with this name (any letter case) and default parameters; nil for an unknown name.
    public init?(name: String) {
        guard let n = Name(caseInsensitive: name) else { return nil }
        self.init(n)
    }

    public var kind: Name {
        switch self {
        case .mse: .mse
        case .l1: .l1
        case .awing: .awing
        case .focal: .focal
        case .qfl: .qfl
        }
    }

    public var name: String { kind.rawValue }

    /// The loss as a value of the shared protocol.
    public var loss: any PerSampleLoss {
        switch self {
        case .mse: MSELoss()
        case .l1: L1Loss()
        case .awing(let l): l
        case .focal(let l): l
        case .qfl(let l): l
        }
    }

    /// `[B]` per-sample losses; see `PerSampleLoss` for shapes and the mask's meaning.
    public func perSample(prediction: Tensor, target: Tensor, mask: Tensor) -> Tensor {
        loss.perSample(prediction: prediction, target: target, mask: mask)
    }

    /// True when the network's output is a logit map (focal, QFL): decoding, the presence threshold and
    /// the AFL topology extractor must then look at σ(output), not the raw output.
    public var outputIsLogit: Bool {
        switch self {
        case .focal, .qfl: true
        case .mse, .l1, .awing: false
        }
    }
}

extension BaseLoss: Codable {
    private enum Keys: String, CodingKey {
        case name, alpha, omega, epsilon, theta, weight, weightThreshold, a, b, beta
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let name = try c.decode(Name.self, forKey: .name)
        func value(_ key: Keys, _ fallback: Float) throws -> Float {
            try c.decodeIfPresent(Float.self, forKey: key) ?? fallback
        }
        switch name {
        case .mse: self = .mse
        case .l1: self = .l1
        case .awing:
            let d = AdaptiveWingLoss()
            self = .awing(AdaptiveWingLoss(
                alpha: try value(.alpha, d.alpha), omega: try value(.omega, d.omega),
                epsilon: try value(.epsilon, d.epsilon), theta: try value(.theta, d.theta),
                weight: try value(.weight, d.weight), weightThreshold: try value(.weightThreshold, d.weightThreshold)))
        case .focal:
            let d = FocalHeatmapLoss()
            self = .focal(FocalHeatmapLoss(a: try value(.a, d.a), b: try value(.b, d.b)))
        case .qfl:
            let d = QualityFocalLoss()
            self = .qfl(QualityFocalLoss(beta: try value(.beta, d.beta)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(name, forKey: .name)
        switch self {
        case .mse, .l1: break
        case .awing(let l):
            try c.encode(l.alpha, forKey: .alpha); try c.encode(l.omega, forKey: .omega)
            try c.encode(l.epsilon, forKey: .epsilon); try c.encode(l.theta, forKey: .theta)
            try c.encode(l.weight, forKey: .weight); try c.encode(l.weightThreshold, forKey: .weightThreshold)
        case .focal(let l):
            try c.encode(l.a, forKey: .a); try c.encode(l.b, forKey: .b)
        case .qfl(let l):
            try c.encode(l.beta, forKey: .beta)
        }
    }
}
