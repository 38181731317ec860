import Foundation

/// LabelMe: one JSON per image, `shapes` of type `point` whose `label` is the landmark name or alias (or 1-based
/// index). A landmark without a shape is absent; a file with no shapes marks the whole image as reviewed and empty.
public enum LabelMeImporter {
    /// Reads every `*.json` under `directory`. Image ids: `imagePath` resolved against the JSON's folder, relative to
    /// `imagesRoot` without extension; when it is not under `imagesRoot`, the JSON's own path relative to `directory`.
    public static func read(directory: URL, imagesRoot: URL, displayRoot: URL? = nil, coordinateOffset: Double = 0) throws -> AnnotationSet {
        var set = AnnotationSet()
        let files = (FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? [])
            .filter { $0.pathExtension.lowercased() == "json" }
            .sorted { $0.path < $1.path }
        let base = (displayRoot ?? directory).standardizedFileURL.path
        for f in files {
            let display = relative(f.standardizedFileURL.path, to: base) ?? f.lastPathComponent
            let fallbackID = CocoKeypoints.stripExtension(relative(f.standardizedFileURL.path, to: directory.standardizedFileURL.path) ?? f.lastPathComponent)
            let one = parse(try Data(contentsOf: f), file: display, fallbackID: fallbackID,
                            jsonDirectory: f.deletingLastPathComponent(), imagesRoot: imagesRoot, coordinateOffset: coordinateOffset)
            set.records += one.records; set.issues += one.issues
            set.imagesWithoutLandmarks.merge(one.imagesWithoutLandmarks) { first, _ in first }
        }
        return set
    }

    public static func parse(_ data: Data, file: String, fallbackID: String, jsonDirectory: URL, imagesRoot: URL,
                             coordinateOffset: Double = 0) -> AnnotationSet {
        var set = AnnotationSet()
        func bad(_ el: String?, _ m: String) {
            set.issues.append(AnnotationIssue(kind: .malformedRecord, location: SourceLocation(file: file, element: el), message: m))
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { bad(nil, "not a JSON object"); return set }
        guard let shapes = root["shapes"] as? [[String: Any]] else { bad(nil, "needs a 'shapes' array"); return set }
        var id = fallbackID
        if let raw = root["imagePath"] as? String, !raw.isEmpty {
            // LabelMe on Windows writes backslashes.
            let ip = raw.replacingOccurrences(of: "\\", with: "/")
            let resolved = URL(fileURLWithPath: ip, relativeTo: jsonDirectory).standardizedFileURL.path
            if let r = relative(resolved, to: imagesRoot.standardizedFileURL.path) { id = CocoKeypoints.stripExtension(r) }
        }
        // No shapes: every landmark absent (how `infer --labelme` writes an image where nothing was found).
        if shapes.isEmpty { set.imagesWithoutLandmarks[id] = SourceLocation(file: file) }
        for (i, s) in shapes.enumerated() {
            let el = "shapes[\(i)]"
            let type = s["shape_type"] as? String ?? "point"
            guard let label = s["label"] as? String else { bad(el, "shape has no 'label'"); continue }
            guard type == "point" else { bad(el, "shape '\(label)' is a \(type), not a point"); continue }
            guard let pts = s["points"] as? [[Any]], pts.count == 1, pts[0].count == 2,
                  let x = (pts[0][0] as? NSNumber)?.doubleValue, let y = (pts[0][1] as? NSNumber)?.doubleValue else {
                bad(el, "point '\(label)' needs exactly one [x, y]"); continue
            }
            set.records.append(AnnotationRecord(image: id, landmark: LandmarkReference(parsing: label),
                                                point: LandmarkPoint(x: x + coordinateOffset, y: y + coordinateOffset),
                                                location: SourceLocation(file: file, element: el)))
        }
        return set
    }

    static func relative(_ path: String, to base: String) -> String? {
        let b = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(b) ? String(path.dropFirst(b.count)) : nil
    }
}
