import Foundation

/// The kinds of problem a dataset load can find; each can be skipped (counted) or made fatal.
public enum AnnotationIssueKind: String, Sendable, CaseIterable, Codable {
    case malformedRecord = "malformed-record"
    case unknownLandmark = "unknown-landmark"
    case outsideImage = "outside-image"
    case duplicateLandmark = "duplicate-landmark"
    case imageWithoutAnnotations = "image-without-annotations"
    case annotationWithoutImage = "annotation-without-image"
    case unreadableImage = "unreadable-image"
    case unknownSplitEntry = "unknown-split-entry"

    /// What "skip" throws away, for the summary.
    public var skippedUnit: String {
        switch self {
        case .imageWithoutAnnotations, .unreadableImage: return "image"
        case .unknownSplitEntry: return "split entry"
        default: return "annotation"
        }
    }
}

/// One problem, with where it is.
public struct AnnotationIssue: Sendable, Equatable, CustomStringConvertible, Error {
    public var kind: AnnotationIssueKind
    public var location: SourceLocation
    public var message: String
    public init(kind: AnnotationIssueKind, location: SourceLocation, message: String) {
        self.kind = kind; self.location = location; self.message = message
    }
    public var description: String { "\(location): \(kind.rawValue): \(message)" }
}

/// Skip or stop, per issue kind.
public struct IssuePolicy: Sendable, Equatable {
    /// Skip (count it and go on) or stop the load.
    public enum Action: String, Sendable, Codable { case skip, fatal }
    public var actions: [AnnotationIssueKind: Action]

    public init(_ actions: [AnnotationIssueKind: Action] = [:], default fallback: Action = .skip) {
        var a: [AnnotationIssueKind: Action] = [:]
        for k in AnnotationIssueKind.allCases { a[k] = actions[k] ?? fallback }
        self.actions = a
    }

    public func action(for kind: AnnotationIssueKind) -> Action { actions[kind] ?? .skip }

    /// Skips everything, but a record that cannot even be parsed stops the load: it usually means a wrong format.
    public static let lenient = IssuePolicy([.malformedRecord: .fatal], default: .skip)
    public static let strict = IssuePolicy(default: .fatal)
}

/// A load stopped by an issue whose policy is `fatal`.
public struct DatasetLoadError: Error, CustomStringConvertible {
    public var issue: AnnotationIssue
    public var description: String { "dataset load stopped: \(issue)" }
}

/// What a load skipped and why; nothing is dropped without appearing here.
public struct LoadSummary: Sendable, Equatable {
    public var issues: [AnnotationIssue] = []
    public var imageCount = 0
    public var landmarkCount = 0

    public func count(_ kind: AnnotationIssueKind) -> Int { issues.filter { $0.kind == kind }.count }

    public var text: String {
        var lines = ["\(imageCount) images, \(landmarkCount) landmarks present"]
        for k in AnnotationIssueKind.allCases {
            let n = count(k)
            if n > 0 { lines.append("skipped \(n) \(k.skippedUnit)\(n == 1 ? "" : "s"): \(k.rawValue)") }
        }
        if issues.isEmpty { lines.append("nothing skipped") }
        return lines.joined(separator: "\n")
    }
}
