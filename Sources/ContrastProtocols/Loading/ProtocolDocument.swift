/// The YAML form of a protocol. Decoding validates as it goes and throws `ProtocolFieldError`
/// with the exact field path, so a user sees `steps[2].clip_limit: must be ≥ 1`, not a Codable dump.
///
/// ```yaml
/// name: high
/// description: ...
/// steps:
///   - step: window        # source: voi | percentiles | full_range
///     source: percentiles
///     low: 1
///     high: 99
///   - step: tone          # curve: linear | gamma (gamma) | sigmoid (gain, midpoint)
///     curve: gamma
///     gamma: 0.8
///   - step: clahe
///     tiles_across: 8
///     tiles_down: 8
///     clip_limit: 2.5     # .inf = no clipping
///     bins: 256           # optional, default 256
///   - step: unsharp
///     radius_mm: 1.0
///     fallback_radius_px: 4
///     amount: 0.8
///   - step: clamp
/// ```
struct ProtocolDocument: Decodable {
    let value: ContrastProtocol

    init(from decoder: Decoder) throws {
        let fields = try FieldReader(decoder)
        try fields.rejectUnknownKeys(allowed: ["name", "description", "steps"], context: "at the top level")
        let name = try fields.string("name")
        let description = try fields.optionalString("description") ?? ""
        var list = try fields.nestedSteps("steps")
        var steps: [ProtocolStep] = []
        while !list.isAtEnd {
            let index = steps.count
            do {
                steps.append(try list.decode(StepDocument.self).value)
            } catch let error as ProtocolFieldError {
                throw error
            } catch {
                throw ProtocolFieldError(field: "steps[\(index)]", message: "must be a mapping with a 'step' key")
            }
        }
        value = try ContrastProtocol(name: name, description: description, steps: steps)
    }
}

/// One entry of `steps`.
struct StepDocument: Decodable {
    let value: ProtocolStep

    static let kinds = ["window", "tone", "clahe", "unsharp", "clamp"]

    init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder)
        let kind = try f.string("step")
        switch kind {
        case "window":
            try f.rejectUnknownKeys(allowed: ["step", "source", "voi", "fallback", "low", "high"], context: "for step window")
            value = .window(try Self.window(f))
        case "tone":
            try f.rejectUnknownKeys(allowed: ["step", "curve", "gamma", "gain", "midpoint"], context: "for step tone")
            let curve = try Self.tone(f)
            try f.located { try ParameterChecks.tone(curve) }
            value = .tone(curve)
        case "clahe":
            try f.rejectUnknownKeys(allowed: ["step", "tiles_across", "tiles_down", "clip_limit", "bins"], context: "for step clahe")
            let across = try f.int("tiles_across"), down = try f.int("tiles_down")
            let clip = try f.double("clip_limit"), bins = try f.optionalInt("bins") ?? 256
            value = .clahe(try f.located { try CLAHEParameters(tilesAcross: across, tilesDown: down, clipLimit: clip, bins: bins) })
        case "unsharp":
            try f.rejectUnknownKeys(allowed: ["step", "radius_mm", "fallback_radius_px", "amount"], context: "for step unsharp")
            let mm = try f.double("radius_mm"), px = try f.double("fallback_radius_px"), amount = try f.double("amount")
            value = .unsharp(try f.located { try UnsharpParameters(radiusMM: mm, fallbackRadiusPixels: px, amount: amount) })
        case "clamp":
            try f.rejectUnknownKeys(allowed: ["step"], context: "for step clamp (it always clamps to [0,1])")
            value = .clamp
        default:
            throw ProtocolFieldError(field: f.field("step"),
                                     message: "unknown step '\(kind)'; known steps: \(Self.kinds.joined(separator: ", "))")
        }
    }

    private static func window(_ f: FieldReader) throws -> WindowSource {
        let source = try f.string("source")
        switch source {
        case "percentiles":
            try rejectKeys(["voi", "fallback"], f, "with source percentiles")
            let low = try f.double("low"), high = try f.double("high")
            try f.located { try ParameterChecks.percentiles(low: low, high: high) }
            return .percentiles(low: low, high: high)
        case "full_range":
            try rejectKeys(["voi", "fallback", "low", "high"], f, "with source full_range")
            return .fullRange
        case "voi":
            let preferName = try f.optionalString("voi") ?? "window"
            guard let prefer = VOIChoice(rawValue: preferName) else {
                throw ProtocolFieldError(field: f.field("voi"), message: "must be 'window' or 'lut', got '\(preferName)'")
            }
            let fallbackName = try f.string("fallback")
            switch fallbackName {
            case "full_range":
                try rejectKeys(["low", "high"], f, "with fallback full_range")
                return .voi(prefer: prefer, fallback: .fullRange)
            case "percentiles":
                let low = try f.double("low"), high = try f.double("high")
                try f.located { try ParameterChecks.percentiles(low: low, high: high) }
                return .voi(prefer: prefer, fallback: .percentiles(low: low, high: high))
            default:
                throw ProtocolFieldError(field: f.field("fallback"),
                                         message: "must be 'percentiles' or 'full_range', got '\(fallbackName)'")
            }
        default:
            throw ProtocolFieldError(field: f.field("source"),
                                     message: "must be 'voi', 'percentiles' or 'full_range', got '\(source)'")
        }
    }

    private static func tone(_ f: FieldReader) throws -> ToneCurve {
        let curve = try f.string("curve")
        switch curve {
        case "linear":
            try rejectKeys(["gamma", "gain", "midpoint"], f, "with curve linear")
            return .linear
        case "gamma":
            try rejectKeys(["gain", "midpoint"], f, "with curve gamma")
            return .gamma(try f.double("gamma"))
        case "sigmoid":
            try rejectKeys(["gamma"], f, "with curve sigmoid")
            return .sigmoid(gain: try f.double("gain"), midpoint: try f.double("midpoint"))
        default:
            throw ProtocolFieldError(field: f.field("curve"), message: "must be 'linear', 'gamma' or 'sigmoid', got '\(curve)'")
        }
    }

    /// Keys that belong to the step but not to the chosen variant are mistakes too.
    private static func rejectKeys(_ keys: [String], _ f: FieldReader, _ context: String) throws {
        for key in keys where f.has(key) {
            throw ProtocolFieldError(field: f.field(key), message: "does not apply \(context)")
        }
    }
}
