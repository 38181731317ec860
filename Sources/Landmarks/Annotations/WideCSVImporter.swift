import Foundation

/// `id,x1,y1,…,xK,yK`, one image per row; an optional header row; empty cells mean the landmark is absent.
public enum WideCSVImporter {
    public static func read(_ url: URL, landmarkCount k: Int, displayName: String? = nil, coordinateOffset: Double = 0) throws -> AnnotationSet {
        parse(try String(contentsOf: url, encoding: .utf8), landmarkCount: k, file: displayName ?? url.lastPathComponent,
              coordinateOffset: coordinateOffset)
    }

    public static func parse(_ text: String, landmarkCount k: Int, file: String, coordinateOffset: Double = 0) -> AnnotationSet {
        var set = AnnotationSet()
        var rows = CSVTable.parse(text)
        // A header is a first row whose coordinate cells are not numbers.
        if let first = rows.first, first.fields.count > 1, Double(first.fields[1]) == nil, !first.fields[1].isEmpty { rows.removeFirst() }
        for row in rows {
            let loc = SourceLocation(file: file, line: row.line)
            guard row.fields.count == 1 + 2 * k else {
                set.issues.append(AnnotationIssue(kind: .malformedRecord, location: loc,
                                                  message: "expected 1 + 2×\(k) = \(1 + 2 * k) fields, found \(row.fields.count)"))
                continue
            }
            let id = row.fields[0]
            for i in 0..<k {
                let sx = row.fields[1 + 2 * i], sy = row.fields[2 + 2 * i]
                let lref = LandmarkReference.index(i + 1)
                if sx.isEmpty && sy.isEmpty {
                    set.records.append(AnnotationRecord(image: id, landmark: lref, point: nil, location: loc))
                    continue
                }
                guard let x = Double(sx), let y = Double(sy), x.isFinite, y.isFinite else {
                    set.issues.append(AnnotationIssue(kind: .malformedRecord, location: SourceLocation(file: file, line: row.line, element: "landmark \(i + 1)"),
                                                      message: "x and y must be numbers or both empty, got '\(sx)', '\(sy)'"))
                    continue
                }
                set.records.append(AnnotationRecord(image: id, landmark: lref, point: LandmarkPoint(x: x + coordinateOffset, y: y + coordinateOffset), location: loc))
            }
        }
        return set
    }

    public static func write(_ images: [AnnotatedImage]) -> String {
        guard let k = images.first?.landmarks.count else { return "" }
        var out = "id," + (1...k).map { "x\($0),y\($0)" }.joined(separator: ",") + "\n"
        for im in images {
            out += im.id + "," + im.landmarks.map { p in p.map { "\($0.x),\($0.y)" } ?? "," }.joined(separator: ",") + "\n"
        }
        return out
    }
}
