import Foundation
import Yams
import XRayIngest

/// Which annotation importer to use.
public enum AnnotationFormat: String, Sendable, Codable, CaseIterable {
    case csv
    case wideCSV = "wide-csv"
    case coco
    case labelme
}

/// Where the annotations are: a format and a path relative to the dataset root (a folder for LabelMe).
public struct AnnotationSourceSpec: Sendable, Equatable, Codable {
    public var format: AnnotationFormat
    public var path: String
    public init(format: AnnotationFormat, path: String) { self.format = format; self.path = path }
    public static let canonical = AnnotationSourceSpec(format: .csv, path: "landmarks.csv")
}

/// `dataset.yaml`: every key optional.
///
/// ```yaml
/// schema: hand-37
/// annotations: {format: coco, path: keypoints.json}
/// spacing_mm: 0.2          # or [row_mm, column_mm]; overrides the files' own spacing
/// coordinate_offset: 0     # added to every x and y, e.g. -0.5 for tools whose pixel origin is a corner
/// split_seed: 7            # for the random split when splits/ is absent
/// ```
public struct DatasetConfig: Sendable, Equatable {
    public var schema: String?
    public var annotations: AnnotationSourceSpec?
    public var spacing: PixelSpacing?
    public var coordinateOffset: Double?
    public var splitSeed: UInt64?

    public init(schema: String? = nil, annotations: AnnotationSourceSpec? = nil, spacing: PixelSpacing? = nil,
                coordinateOffset: Double? = nil, splitSeed: UInt64? = nil) {
        self.schema = schema; self.annotations = annotations; self.spacing = spacing
        self.coordinateOffset = coordinateOffset; self.splitSeed = splitSeed
    }

    private struct Raw: Decodable {
        var schema: String?
        var annotations: AnnotationSourceSpec?
        var spacing_mm: SpacingValue?
        var coordinate_offset: Double?
        var split_seed: UInt64?
    }

    private enum SpacingValue: Decodable {
        case one(Double), two([Double])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) { self = .one(d) } else { self = .two(try c.decode([Double].self)) }
        }
    }

    public static func parse(yaml: String, file: String) throws -> DatasetConfig {
        let raw: Raw
        do { raw = try YAMLDecoder().decode(Raw.self, from: yaml) } catch {
            throw AnnotationIssue(kind: .malformedRecord, location: SourceLocation(file: file), message: "bad dataset.yaml: \(error)")
        }
        var spacing: PixelSpacing?
        switch raw.spacing_mm {
        case .none: break
        case .one(let v)?:
            guard v > 0 else { throw AnnotationIssue(kind: .malformedRecord, location: SourceLocation(file: file), message: "spacing_mm must be positive") }
            spacing = PixelSpacing(rowMM: v, columnMM: v, source: .manifest)
        case .two(let v)?:
            guard v.count == 2, v.allSatisfy({ $0 > 0 }) else {
                throw AnnotationIssue(kind: .malformedRecord, location: SourceLocation(file: file), message: "spacing_mm must be a positive number or [row_mm, column_mm]")
            }
            spacing = PixelSpacing(rowMM: v[0], columnMM: v[1], source: .manifest)
        }
        return DatasetConfig(schema: raw.schema, annotations: raw.annotations, spacing: spacing,
                             coordinateOffset: raw.coordinate_offset, splitSeed: raw.split_seed)
    }
}
