/// A coding key for any string, so that a decoder can list every key a YAML mapping has.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// Renders a coding path as `steps[2].clip_limit`.
func fieldPath(_ path: [CodingKey]) -> String {
    var out = ""
    for key in path {
        if let index = key.intValue {
            out += "[\(index)]"
        } else {
            out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
    }
    return out
}

/// Reads the keys of one YAML mapping and turns Codable's errors into `ProtocolFieldError`s that
/// name the field: "missing", "must be a number", "unknown key".
struct FieldReader {
    let container: KeyedDecodingContainer<AnyKey>
    let prefix: String

    init(_ decoder: Decoder) throws {
        prefix = fieldPath(decoder.codingPath)
        do {
            container = try decoder.container(keyedBy: AnyKey.self)
        } catch {
            throw ProtocolFieldError(field: prefix, message: "must be a mapping of keys to values")
        }
    }

    func field(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }

    /// Rejects keys outside `allowed`: a typo such as `clip_limt` must not silently fall back
    /// to a default.
    func rejectUnknownKeys(allowed: [String], context: String) throws {
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw ProtocolFieldError(field: field(key.stringValue),
                                     message: "unknown key '\(key.stringValue)' \(context); allowed: \(allowed.joined(separator: ", "))")
        }
    }

    func has(_ key: String) -> Bool { container.contains(AnyKey(stringValue: key)) }

    func string(_ key: String) throws -> String {
        try require(key)
        do { return try container.decode(String.self, forKey: AnyKey(stringValue: key)) } catch {
            throw ProtocolFieldError(field: field(key), message: "must be a string")
        }
    }

    func double(_ key: String) throws -> Double {
        try require(key)
        do { return try container.decode(Double.self, forKey: AnyKey(stringValue: key)) } catch {
            throw ProtocolFieldError(field: field(key), message: "must be a number")
        }
    }

    func int(_ key: String) throws -> Int {
        try require(key)
        do { return try container.decode(Int.self, forKey: AnyKey(stringValue: key)) } catch {
            throw ProtocolFieldError(field: field(key), message: "must be an integer")
        }
    }

    func optionalInt(_ key: String) throws -> Int? { has(key) ? try int(key) : nil }
    func optionalString(_ key: String) throws -> String? { has(key) ? try string(key) : nil }

    func nestedSteps(_ key: String) throws -> UnkeyedDecodingContainer {
        try require(key)
        do { return try container.nestedUnkeyedContainer(forKey: AnyKey(stringValue: key)) } catch {
            throw ProtocolFieldError(field: field(key), message: "must be a list of steps")
        }
    }

    /// Runs a parameter initialiser and prefixes its error with this mapping's path.
    func located<T>(_ build: () throws -> T) throws -> T {
        do { return try build() } catch let error as ProtocolFieldError {
            throw error.nested(under: prefix)
        }
    }

    private func require(_ key: String) throws {
        guard has(key) else { throw ProtocolFieldError(field: field(key), message: "missing") }
    }
}
