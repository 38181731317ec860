import Foundation
import XRayIngest

/// Where an annotation came from, for error messages: file, and line (CSV) or element path (JSON).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var element: String?
    public init(file: String, line: Int? = nil, element: String? = nil) { self.file = file; self.line = line; self.element = element }
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let element { s += " (\(element))" }
        return s
    }
}

/// How an annotation names its landmark: by schema name, or by 1-based index.
public enum LandmarkReference: Sendable, Equatable, CustomStringConvertible {
    case name(String)
    case index(Int)

    /// Digits mean an index, anything else a name: the long CSV allows both (docs/CONVENTIONS.md, X-ray folders).
    public init(parsing s: String) {
        if let i = Int(s) { self = .index(i) } else { self = .name(s) }
    }

    public var description: String {
        switch self { case .name(let n): return "'\(n)'"; case .index(let i): return "#\(i)" }
    }

    public func resolve(in schema: LandmarkSchema) -> Int? {
        switch self {
        case .name(let n): return schema.index(of: n)
        case .index(let i): return (1...schema.count).contains(i) ? i - 1 : nil
        }
    }
}

/// One landmark of one image as read from any annotation format, before validation.
public struct AnnotationRecord: Sendable, Equatable {
    /// Image id: path relative to images/ without extension.
    public var image: String
    public var landmark: LandmarkReference
    /// nil when the annotation marks the landmark not present.
    public var point: LandmarkPoint?
    public var location: SourceLocation
    public init(image: String, landmark: LandmarkReference, point: LandmarkPoint?, location: SourceLocation) {
        self.image = image; self.landmark = landmark; self.point = point; self.location = location
    }
}

/// Everything an importer read: the records, per-image spacing given by the annotations, and problems found while parsing.
public struct AnnotationSet: Sendable {
    public var records: [AnnotationRecord] = []
    public var spacing: [String: PixelSpacing] = [:]
    public var issues: [AnnotationIssue] = []
    /// Images whose annotation file marks no landmark at all (a LabelMe file without shapes), with that file: they are
    /// loaded with every landmark absent, not skipped as unannotated, because someone looked and found nothing.
    public var imagesWithoutLandmarks: [String: SourceLocation] = [:]
    public init(records: [AnnotationRecord] = [], spacing: [String: PixelSpacing] = [:], issues: [AnnotationIssue] = []) {
        self.records = records; self.spacing = spacing; self.issues = issues
    }
}
