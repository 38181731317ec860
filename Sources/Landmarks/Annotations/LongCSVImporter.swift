import Foundation
import XRayIngest

/// The canonical `image,landmark,x,y[,present][,spacing_mm]` file (docs/CONVENTIONS.md, X-ray folders). Column order is free; the header names them.
public enum LongCSVImporter {
    public static func read(_ url: URL, displayName: String? = nil, coordinateOffset: Double = 0) throws -> AnnotationSet {
        let file = displayName ?? url.lastPathComponent
        let text = try String(contentsOf: url, encoding: .utf8)
        return parse(text, file: file, coordinateOffset: coordinateOffset)
    }

    public static func parse(_ text: String, file: String, coordinateOffset: Double = 0) -> AnnotationSet {
        var set = AnnotationSet()
        let rows = CSVTable.parse(text)
        guard let header = rows.first else {
            set.issues.append(AnnotationIssue(kind: .malformedRecord, location: SourceLocation(file: file, line: 1), message: "empty file"))
            return set
        }
        let names = header.fields.map { $0.lowercased() }
        func col(_ n: String) -> Int? { names.firstIndex(of: n) }
        guard let ci = col("image"), let cl = col("landmark"), let cx = col("x"), let cy = col("y") else {
            set.issues.append(AnnotationIssue(kind: .malformedRecord, location: SourceLocation(file: file, line: header.line),
                                              message: "header must name image, landmark, x and y; got \(header.fields.joined(separator: ","))"))
            return set
        }
        let cp = col("present"), cs = col("spacing_mm")
        for row in rows.dropFirst() {
            let loc = SourceLocation(file: file, line: row.line)
            func bad(_ m: String) { set.issues.append(AnnotationIssue(kind: .malformedRecord, location: loc, message: m)) }
            guard row.fields.count == names.count else { bad("expected \(names.count) fields, found \(row.fields.count)"); continue }
            let image = row.fields[ci], lm = row.fields[cl]
            guard !image.isEmpty, !lm.isEmpty else { bad("empty image or landmark field"); continue }
            var present = true
            if let cp {
                switch row.fields[cp].lowercased() {
                case "", "1", "true", "yes", "y": present = true
                case "0", "false", "no", "n": present = false
                default: bad("present must be 1/0/true/false, got '\(row.fields[cp])'"); continue
                }
            }
            var point: LandmarkPoint?
            if present {
                guard let x = Double(row.fields[cx]), let y = Double(row.fields[cy]), x.isFinite, y.isFinite else {
                    bad("x and y must be numbers, got '\(row.fields[cx])', '\(row.fields[cy])'"); continue
                }
                point = LandmarkPoint(x: x + coordinateOffset, y: y + coordinateOffset)
            }
            if let cs, !row.fields[cs].isEmpty {
                guard let mm = Double(row.fields[cs]), mm > 0 else { bad("spacing_mm must be a positive number, got '\(row.fields[cs])'"); continue }
                set.spacing[image] = PixelSpacing(rowMM: mm, columnMM: mm, source: .manifest)
            }
            set.records.append(AnnotationRecord(image: image, landmark: LandmarkReference(parsing: lm), point: point, location: loc))
        }
        return set
    }

    /// Writes records in the canonical form (landmark by schema name, present column always written).
    public static func write(_ images: [AnnotatedImage], schema: LandmarkSchema) -> String {
        var out = "image,landmark,x,y,present\n"
        for im in images {
            for (k, p) in im.landmarks.enumerated() {
                if let p { out += "\(im.id),\(schema.landmarks[k].name),\(p.x),\(p.y),1\n" } else { out += "\(im.id),\(schema.landmarks[k].name),,,0\n" }
            }
        }
        return out
    }
}
