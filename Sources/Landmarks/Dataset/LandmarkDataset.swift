import Foundation
import XRayIngest

/// One image of a dataset with its validated landmarks (original pixel grid; nil = absent).
public struct AnnotatedImage: Sendable, Equatable {
    /// Path relative to images/ without extension: the only name outputs use (never patient identity).
    public var id: String
    /// Path relative to images/, with extension.
    public var relativePath: String
    public var url: URL
    public var width: Int
    public var height: Int
    public var spacing: PixelSpacing?
    public var landmarks: [LandmarkPoint?]

    public init(id: String, relativePath: String, url: URL, width: Int, height: Int, spacing: PixelSpacing?, landmarks: [LandmarkPoint?]) {
        self.id = id; self.relativePath = relativePath; self.url = url; self.width = width; self.height = height
        self.spacing = spacing; self.landmarks = landmarks
    }

    public var presentCount: Int { landmarks.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
}

/// Named subsets.
public enum DatasetSplit: String, Sendable, CaseIterable, Codable {
    case train, valid, test
}

/// Options for `LandmarkDataset.load`; anything set here wins over dataset.yaml.
public struct DatasetLoadOptions: Sendable {
    public var policy: IssuePolicy = .lenient
    public var schemaLibrary = SchemaLibrary()
    public var schema: LandmarkSchema?
    public var annotations: AnnotationSourceSpec?
    public var spacingOverride: PixelSpacing?
    public var coordinateOffset: Double?
    public init() {}
}

/// An X-ray folder (docs/CONVENTIONS.md, X-ray folders) loaded and checked against its images and schema.
public struct LandmarkDataset: Sendable {
    public var root: URL
    public var schema: LandmarkSchema
    public var config: DatasetConfig
    public var images: [AnnotatedImage]
    /// Ids per split, from splits/*.txt (empty when the folder has none; see `randomSplit`).
    public var splits: [DatasetSplit: [String]]
    public var summary: LoadSummary

    public static let imageExtensions: Set<String> = ["dcm", "dicom", "tif", "tiff"]

    public var landmarkCount: Int { images.reduce(0) { $0 + $1.presentCount } }

    public func images(in split: DatasetSplit) -> [AnnotatedImage] {
        let ids = Set(splits[split] ?? [])
        return images.filter { ids.contains($0.id) }
    }

    /// A reproducible split by seed; fractions of the images, the test set gets the rest.
    public func randomSplit(seed: UInt64, train: Double = 0.8, valid: Double = 0.1) -> [DatasetSplit: [String]] {
        var ids = images.map(\.id).sorted()
        var rng = SeededRandom(seed: seed)
        for i in stride(from: ids.count - 1, to: 0, by: -1) { ids.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let nt = Int((Double(ids.count) * train).rounded()), nv = Int((Double(ids.count) * valid).rounded())
        let nValid = min(nv, ids.count - nt)
        return [.train: Array(ids[0..<nt]), .valid: Array(ids[nt..<(nt + nValid)]), .test: Array(ids[(nt + nValid)...])]
    }

    /// Splits from splits/, or else a random one from dataset.yaml's `split_seed` (default 0).
    public var effectiveSplits: [DatasetSplit: [String]] {
        splits.isEmpty ? randomSplit(seed: config.splitSeed ?? 0) : splits
    }

    /// Every image file under images/, keyed by id.
    public static func enumerateImages(in dir: URL) -> (found: [String: (url: URL, relative: String)], duplicates: [(String, String)]) {
        // images/ may be a symlink to data kept elsewhere; the enumerator does not follow a symlinked root.
        let imagesDir = dir.resolvingSymlinksInPath()
        let base = imagesDir.standardizedFileURL.path
        let files = (FileManager.default.enumerator(at: imagesDir, includingPropertiesForKeys: [.isRegularFileKey])?
            .compactMap { $0 as? URL } ?? [])
            .filter { imageExtensions.contains($0.pathExtension.lowercased()) }
            .map { $0.standardizedFileURL }
            .sorted { $0.path < $1.path }
        var found: [String: (URL, String)] = [:], dups: [(String, String)] = []
        for f in files {
            guard let rel = LabelMeImporter.relative(f.path, to: base) else { continue }
            let id = CocoKeypoints.stripExtension(rel)
            if found[id] != nil { dups.append((id, rel)) } else { found[id] = (f, rel) }
        }
        return (found, dups)
    }
}
