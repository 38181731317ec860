import Landmarks

/// The `optimizer:` setting. Both are Adam; `adamw` decouples weight decay from the gradient.
public enum OptimizerChoice: String, CaseIterable, Codable, Sendable {
    case adam, adamw

    public init(from decoder: any Decoder) throws { self = try decodeChoice(decoder, setting: "optimizer") }
}

/// The `schedule:` setting, the learning rate after the warm-up (see `LearningRatePlan`).
public enum ScheduleChoice: String, CaseIterable, Codable, Sendable {
    /// Cosine annealing to 1 % of the rate at the last step.
    case cosine
    /// The peak rate to the end.
    case constant

    public init(from decoder: any Decoder) throws { self = try decodeChoice(decoder, setting: "schedule") }
}

/// A fixed-list setting read by its exact name; an unknown name's error lists the known ones.
private func decodeChoice<T: RawRepresentable & CaseIterable>(_ decoder: any Decoder, setting: String) throws -> T where T.RawValue == String {
    let c = try decoder.singleValueContainer()
    let text = try c.decode(String.self)
    guard let value = T(rawValue: text) else {
        throw DecodingError.dataCorruptedError(
            in: c, debugDescription: "\(setting) '\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return value
}

/// The `protocol:` setting: one contrast protocol for training and validation, or `random`, one of the shipped
/// protocols drawn per training sample. A named protocol may be a user's (protocols/<name>.yaml), so names
/// are open and checked when the protocol library loads, not here. Written as the bare string either way.
public enum ProtocolChoice: Hashable, Codable, Sendable, CustomStringConvertible {
    case random
    case named(String)

    /// The spelling that asks for a protocol drawn per sample.
    public static let randomName = "random"

    public init(_ text: String) { self = text == Self.randomName ? .random : .named(text) }

    public var description: String {
        switch self {
        case .random: Self.randomName
        case .named(let name): name
        }
    }

    /// The protocol used for validation and written into the model card: the named one, or the default under `random`.
    public var validationProtocol: String {
        switch self {
        case .random: ProtocolContrast.defaultProtocol
        case .named(let name): name
        }
    }

    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
