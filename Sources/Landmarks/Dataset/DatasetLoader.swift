import Foundation
import ParallelWork
import Logging
import XRayIngest

extension LandmarkDataset {
    /// Loads `root` (docs/CONVENTIONS.md, X-ray folders): reads dataset.yaml, the annotations in their format, every annotated image's size
    /// and spacing (through `source`, typically a `DecodedImageCache`), and checks each annotation against image
    /// and schema. Issues are skipped or fatal per `options.policy`; every skip is listed in `summary`.
    public static func load(root: URL, source: ImageSource, options: DatasetLoadOptions = DatasetLoadOptions()) throws -> LandmarkDataset {
        let fm = FileManager.default
        var config = DatasetConfig()
        let yamlURL = root.appendingPathComponent("dataset.yaml")
        if fm.fileExists(atPath: yamlURL.path) {
            config = try DatasetConfig.parse(yaml: String(contentsOf: yamlURL, encoding: .utf8), file: "dataset.yaml")
        }
        let schema = try options.schema ?? options.schemaLibrary.schema(named: config.schema ?? SchemaLibrary.defaultSchemaName)
        let spec = options.annotations ?? config.annotations ?? .canonical
        let offset = options.coordinateOffset ?? config.coordinateOffset ?? 0
        let imagesDir = root.appendingPathComponent("images", isDirectory: true)
        let annURL = spec.path.hasPrefix("/") ? URL(fileURLWithPath: spec.path) : root.appendingPathComponent(spec.path)
        guard fm.fileExists(atPath: annURL.path) else {
            throw DatasetLoadError(issue: AnnotationIssue(kind: .malformedRecord, location: SourceLocation(file: spec.path),
                                                          message: "annotation file not found (format \(spec.format.rawValue))"))
        }

        let set: AnnotationSet
        switch spec.format {
        case .csv: set = try LongCSVImporter.read(annURL, displayName: spec.path, coordinateOffset: offset)
        case .wideCSV: set = try WideCSVImporter.read(annURL, landmarkCount: schema.count, displayName: spec.path, coordinateOffset: offset)
        case .coco: set = try CocoKeypoints.read(annURL, displayName: spec.path, coordinateOffset: offset)
        case .labelme: set = try LabelMeImporter.read(directory: annURL, imagesRoot: imagesDir, displayRoot: root, coordinateOffset: offset)
        }

        var checker = IssueCollector(policy: options.policy)
        for issue in set.issues { try checker.report(issue) }

        let (found, duplicates) = enumerateImages(in: imagesDir)
        for (id, rel) in duplicates {
            try checker.report(AnnotationIssue(kind: .unreadableImage, location: SourceLocation(file: "images/\(rel)"),
                                               message: "another file already has image id '\(id)'; this one is ignored"))
        }

        var byImage: [String: [AnnotationRecord]] = [:]
        var order: [String] = []
        for var r in set.records {
            // COCO and LabelMe files often name images relative to the dataset root ("images/x.dcm").
            if found[r.image] == nil, r.image.hasPrefix("images/"), found[String(r.image.dropFirst(7))] != nil {
                r.image = String(r.image.dropFirst(7))
            }
            if found[r.image] == nil {
                try checker.report(AnnotationIssue(kind: .annotationWithoutImage, location: r.location,
                                                   message: "no file for image '\(r.image)' under images/"))
                continue
            }
            if byImage[r.image] == nil { order.append(r.image) }
            byImage[r.image, default: []].append(r)
        }
        for (raw, location) in set.imagesWithoutLandmarks.sorted(by: { $0.key < $1.key }) {
            var id = raw
            if found[id] == nil, id.hasPrefix("images/"), found[String(id.dropFirst(7))] != nil { id = String(id.dropFirst(7)) }
            guard byImage[id] == nil else { continue }
            guard found[id] != nil else {
                try checker.report(AnnotationIssue(kind: .annotationWithoutImage, location: location,
                                                   message: "no file for image '\(id)' under images/"))
                continue
            }
            // Reviewed and empty: loaded with every landmark absent.
            byImage[id] = []
            order.append(id)
        }
        for id in found.keys.sorted() where byImage[id] == nil {
            try checker.report(AnnotationIssue(kind: .imageWithoutAnnotations, location: SourceLocation(file: "images/\(found[id]!.relative)"),
                                               message: "image '\(id)' has no annotations in \(spec.path)"))
        }

        // Decoding dominates the load, so images are read on all cores; results are checked in file order afterwards.
        let ids = order.sorted()
        let loaded = loadImages(ids.map { found[$0]!.url }, source: source)

        var images: [AnnotatedImage] = []
        for (n, id) in ids.enumerated() {
            let (url, rel) = found[id]!
            let image: XRayImage
            switch loaded[n] {
            case .failure(let e):
                try checker.report(AnnotationIssue(kind: .unreadableImage, location: SourceLocation(file: "images/\(rel)"),
                                                   message: "cannot read: \(e)"))
                continue
            case .success(let im): image = im
            }
            var landmarks = [LandmarkPoint?](repeating: nil, count: schema.count)
            var seen = [SourceLocation?](repeating: nil, count: schema.count)
            for r in byImage[id]! {
                guard let k = r.landmark.resolve(in: schema) else {
                    try checker.report(AnnotationIssue(kind: .unknownLandmark, location: r.location,
                                                       message: "landmark \(r.landmark) is not in schema \(schema.name) (K = \(schema.count))"))
                    continue
                }
                if let first = seen[k] {
                    try checker.report(AnnotationIssue(kind: .duplicateLandmark, location: r.location,
                                                       message: "landmark '\(schema.landmarks[k].name)' of image '\(id)' was already given at \(first); keeping the first"))
                    continue
                }
                if let p = r.point {
                    let inside = p.x >= -0.5 && p.y >= -0.5 && p.x <= Double(image.columns) - 0.5 && p.y <= Double(image.rows) - 0.5
                    guard inside else {
                        try checker.report(AnnotationIssue(kind: .outsideImage, location: r.location,
                                                           message: "landmark '\(schema.landmarks[k].name)' at (\(p.x), \(p.y)) is outside image '\(id)' (\(image.columns)×\(image.rows))"))
                        continue
                    }
                }
                seen[k] = r.location
                landmarks[k] = r.point
            }
            let spacing = options.spacingOverride ?? set.spacing[id] ?? config.spacing ?? image.spacing
            images.append(AnnotatedImage(id: id, relativePath: rel, url: url, width: image.columns, height: image.rows,
                                         spacing: spacing, landmarks: landmarks))
        }

        var splits: [DatasetSplit: [String]] = [:]
        let kept = Set(images.map(\.id))
        for s in DatasetSplit.allCases {
            let f = root.appendingPathComponent("splits/\(s.rawValue).txt")
            guard let text = try? String(contentsOf: f, encoding: .utf8) else { continue }
            var list: [String] = []
            for (i, raw) in text.components(separatedBy: "\n").enumerated() {
                let id = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if id.isEmpty || id.hasPrefix("#") { continue }
                if kept.contains(id) { list.append(id); continue }
                try checker.report(AnnotationIssue(kind: .unknownSplitEntry, location: SourceLocation(file: "splits/\(s.rawValue).txt", line: i + 1),
                                                   message: found[id] == nil ? "no image '\(id)'" : "image '\(id)' was skipped during loading"))
            }
            splits[s] = list
        }

        var summary = LoadSummary(issues: checker.issues)
        summary.imageCount = images.count
        summary.landmarkCount = images.reduce(0) { $0 + $1.presentCount }
        return LandmarkDataset(root: root, schema: schema, config: config, images: images, splits: splits, summary: summary)
    }

    static func loadImages(_ urls: [URL], source: ImageSource) -> [Result<XRayImage, Error>] {
        final class Box: @unchecked Sendable {
            var results: [Result<XRayImage, Error>]
            let lock = NSLock()
            init(_ n: Int) { results = Array(repeating: .failure(CocoaError(.fileReadUnknown)), count: n) }
        }
        let box = Box(urls.count)
        WorkerPool.shared.forEach(urls.count) { i in
            let r = Result { try source.image(at: urls[i]) }
            // Only the size and spacing are needed here; dropping pixels keeps memory flat for big folders.
            let slim = r.map { im -> XRayImage in
                XRayImage(rows: 0, columns: 0, pixels: [], photometric: im.photometric, spacing: im.spacing)
                    .withSize(rows: im.rows, columns: im.columns)
            }
            box.lock.lock(); box.results[i] = slim; box.lock.unlock()
        }
        return box.results
    }
}

private extension XRayImage {
    /// Keeps the real size on a pixel-less copy: XRayImage's initializer insists pixels match the size.
    func withSize(rows: Int, columns: Int) -> XRayImage {
        var c = self
        c.rows = rows; c.columns = columns
        return c
    }
}

/// Applies the policy: a fatal issue throws at once, a skipped one is logged and remembered for the summary.
struct IssueCollector {
    let policy: IssuePolicy
    var issues: [AnnotationIssue] = []
    static let logger = Logger(label: "LandmarkKit.dataset")
    mutating func report(_ issue: AnnotationIssue) throws {
        if policy.action(for: issue.kind) == .fatal { throw DatasetLoadError(issue: issue) }
        // Debug level: one line per skip would flood a terminal; the summary gives the counts.
        Self.logger.debug("skipped: \(issue)")
        issues.append(issue)
    }
}
