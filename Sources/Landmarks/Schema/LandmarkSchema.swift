import Foundation
import Yams

/// One named landmark of a schema.
public struct LandmarkDefinition: Sendable, Equatable {
    public var name: String
    public var description: String?
    /// Other labels annotation files use for this landmark (`l1`, `S`, `Sella`); importers accept them like the name.
    /// Outputs always write `name`.
    public var aliases: [String]
    /// Index of the mirror-image landmark, swapped on a horizontal flip.
    public var partnerIndex: Int?
    /// Distance beyond which a detection counts as a miss (docs/CONVENTIONS.md).
    public var toleranceMM: Double

    public init(name: String, description: String? = nil, aliases: [String] = [], partnerIndex: Int? = nil, toleranceMM: Double) {
        self.name = name
        self.description = description
        self.aliases = aliases
        self.partnerIndex = partnerIndex
        self.toleranceMM = toleranceMM
    }
}

/// An ordered set of K landmarks with partners (for flips), tolerances (for misses) and skeleton edges (for drawing).
public struct LandmarkSchema: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var landmarks: [LandmarkDefinition]
    /// Pairs of landmark indices joined when drawing.
    public var edges: [(Int, Int)]

    public var count: Int { landmarks.count }
    public var names: [String] { landmarks.map(\.name) }
    /// A horizontal flip is only label-safe when the schema says which landmarks trade places.
    public var supportsHorizontalFlip: Bool { landmarks.contains { $0.partnerIndex != nil } }

    /// Index permutation applied on a horizontal flip: landmark i of the flipped image is landmark `flipPermutation[i]` of the original.
    public var flipPermutation: [Int] { landmarks.indices.map { landmarks[$0].partnerIndex ?? $0 } }

    /// The landmark an annotation label means: its name or one of its aliases, compared by `labelKey` (ignoring
    /// case and surrounding spaces). Validated schemas have no two landmarks sharing a key, so the answer is unique.
    public func index(of label: String) -> Int? {
        let key = Self.labelKey(label)
        return landmarks.firstIndex { Self.labelKey($0.name) == key || $0.aliases.contains { Self.labelKey($0) == key } }
    }

    /// How labels are compared: annotation tools and people vary the case (`Sella`, `sella`, `L1`, `l1`) and leave
    /// stray spaces, but never mean different landmarks by that alone.
    public static func labelKey(_ label: String) -> String {
        label.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    public init(name: String, description: String? = nil, landmarks: [LandmarkDefinition], edges: [(Int, Int)] = []) {
        self.name = name
        self.description = description
        self.landmarks = landmarks
        self.edges = edges
    }

    public static func == (a: LandmarkSchema, b: LandmarkSchema) -> Bool {
        a.name == b.name && a.description == b.description && a.landmarks == b.landmarks
            && a.edges.count == b.edges.count && zip(a.edges, b.edges).allSatisfy { $0 == $1 }
    }
}

/// Why a schema file was rejected; always names the file.
public struct SchemaError: Error, CustomStringConvertible, Equatable {
    /// What exactly is wrong.
    public enum Problem: Equatable, Sendable {
        case unreadable(String)
        case malformedYAML(String)
        case noLandmarks
        case emptyName(index: Int)
        case duplicateName(String)
        /// A name or alias equal (ignoring case) to a name or alias of another landmark: a label would be ambiguous.
        case labelCollision(label: String, landmark: String, other: String)
        case emptyAlias(landmark: String)
        /// All digits: the importers read such a label as a 1-based index, so the alias could never match.
        case numericAlias(alias: String, landmark: String)
        case unknownPartner(landmark: String, partner: String)
        case selfPartner(String)
        case nonMutualPartner(landmark: String, partner: String, partnersPartner: String?)
        case badTolerance(landmark: String, value: Double)
        case badEdge(index: Int, reason: String)
    }
    public var file: String
    public var problem: Problem

    public var description: String {
        let what: String
        switch problem {
        case .unreadable(let m): what = "cannot read: \(m)"
        case .malformedYAML(let m): what = "malformed YAML: \(m)"
        case .noLandmarks: what = "no landmarks defined"
        case .emptyName(let i): what = "landmark \(i + 1) has an empty name"
        case .duplicateName(let n): what = "duplicate landmark name '\(n)'"
        case .labelCollision(let l, let a, let b):
            what = "label '\(l)' of landmark '\(a)' is already a name or alias of landmark '\(b)' "
                + "(labels are matched ignoring case and surrounding spaces, so it would be ambiguous)"
        case .emptyAlias(let l): what = "landmark '\(l)' has an empty alias"
        case .numericAlias(let a, let l):
            what = "alias '\(a)' of landmark '\(l)' is a number; numeric labels are read as 1-based landmark indices"
        case .unknownPartner(let l, let p): what = "landmark '\(l)' names unknown partner '\(p)'"
        case .selfPartner(let l): what = "landmark '\(l)' is its own partner"
        case .nonMutualPartner(let l, let p, let pp):
            what = "partners are not mutual: '\(l)' → '\(p)', but '\(p)' → \(pp.map { "'\($0)'" } ?? "nothing")"
        case .badTolerance(let l, let v): what = "landmark '\(l)' has tolerance \(v) mm; it must be a positive number"
        case .badEdge(let i, let r): what = "edge \(i + 1): \(r)"
        }
        return "\(file): \(what)"
    }
}

/// The on-disk form; kept private so the public type stays index-based and validated.
private struct SchemaFile: Decodable {
    struct Entry: Decodable {
        var name: String
        var description: String?
        var aliases: [String]?
        var partner: String?
        var tolerance_mm: Double?
    }
    var name: String
    var description: String?
    var default_tolerance_mm: Double?
    var landmarks: [Entry]?
    var edges: [[String]]?
}

extension LandmarkSchema {
    /// Tolerance used when neither the landmark nor the file gives one.
    public static let fallbackToleranceMM = 2.0

    /// Parses and validates schema YAML; `file` only labels errors.
    public static func parse(yaml: String, file: String) throws -> LandmarkSchema {
        let raw: SchemaFile
        do {
            raw = try YAMLDecoder().decode(SchemaFile.self, from: yaml)
        } catch {
            throw SchemaError(file: file, problem: .malformedYAML(String(describing: error)))
        }
        func fail(_ p: SchemaError.Problem) -> SchemaError { SchemaError(file: file, problem: p) }
        guard let entries = raw.landmarks, !entries.isEmpty else { throw fail(.noLandmarks) }
        var index: [String: Int] = [:]
        for (i, e) in entries.enumerated() {
            guard !e.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail(.emptyName(index: i)) }
            guard index[e.name] == nil else { throw fail(.duplicateName(e.name)) }
            index[e.name] = i
        }
        // Every name and alias is a label an importer may meet; each must point at exactly one landmark.
        var owner: [String: String] = [:]
        for e in entries {
            for (n, label) in ([e.name] + (e.aliases ?? [])).enumerated() {
                if n > 0 {
                    guard !label.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail(.emptyAlias(landmark: e.name)) }
                    guard Int(LandmarkSchema.labelKey(label)) == nil else { throw fail(.numericAlias(alias: label, landmark: e.name)) }
                }
                let key = LandmarkSchema.labelKey(label)
                if let other = owner[key] {
                    // Repeating one's own name as an alias is harmless; meeting another landmark's label is not.
                    if other == e.name { continue }
                    throw fail(.labelCollision(label: label, landmark: e.name, other: other))
                }
                owner[key] = e.name
            }
        }
        let defaultTol = raw.default_tolerance_mm ?? fallbackToleranceMM
        var defs: [LandmarkDefinition] = []
        for e in entries {
            var partnerIndex: Int?
            if let p = e.partner {
                guard let pi = index[p] else { throw fail(.unknownPartner(landmark: e.name, partner: p)) }
                guard p != e.name else { throw fail(.selfPartner(e.name)) }
                let back = entries[pi].partner
                guard back == e.name else { throw fail(.nonMutualPartner(landmark: e.name, partner: p, partnersPartner: back)) }
                partnerIndex = pi
            }
            let tol = e.tolerance_mm ?? defaultTol
            guard tol > 0, tol.isFinite else { throw fail(.badTolerance(landmark: e.name, value: tol)) }
            defs.append(LandmarkDefinition(name: e.name, description: e.description, aliases: e.aliases ?? [],
                                           partnerIndex: partnerIndex, toleranceMM: tol))
        }
        var edges: [(Int, Int)] = []
        for (i, pair) in (raw.edges ?? []).enumerated() {
            guard pair.count == 2 else { throw fail(.badEdge(index: i, reason: "needs exactly two landmark names, got \(pair.count)")) }
            guard let a = index[pair[0]] else { throw fail(.badEdge(index: i, reason: "unknown landmark '\(pair[0])'")) }
            guard let b = index[pair[1]] else { throw fail(.badEdge(index: i, reason: "unknown landmark '\(pair[1])'")) }
            guard a != b else { throw fail(.badEdge(index: i, reason: "joins '\(pair[0])' to itself")) }
            if edges.contains(where: { ($0 == a && $1 == b) || ($0 == b && $1 == a) }) {
                throw fail(.badEdge(index: i, reason: "duplicates an earlier edge \(pair[0])–\(pair[1])"))
            }
            edges.append((a, b))
        }
        return LandmarkSchema(name: raw.name, description: raw.description, landmarks: defs, edges: edges)
    }

    /// Loads and validates a schema file.
    public static func load(from url: URL) throws -> LandmarkSchema {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw SchemaError(file: url.path, problem: .unreadable(error.localizedDescription))
        }
        return try parse(yaml: text, file: url.path)
    }

    /// A schema with landmarks `p1`…`pK` and no partners, for data that names landmarks by index only.
    public static func indexed(count k: Int, name: String = "indexed", toleranceMM: Double = fallbackToleranceMM) -> LandmarkSchema {
        LandmarkSchema(name: name, landmarks: (1...max(k, 1)).map { LandmarkDefinition(name: "p\($0)", toleranceMM: toleranceMM) })
    }
}
