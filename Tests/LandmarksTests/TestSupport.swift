import Foundation
import XCTest
import XRayIngest
@testable import Landmarks

enum TestPaths {
    /// The repository root: walk up from this file until Package.swift.
    static var repoRoot: URL {
        var u = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while u.path != "/" {
            if FileManager.default.fileExists(atPath: u.appendingPathComponent("Package.swift").path) { return u }
            u = u.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    static var schemas: URL { repoRoot.appendingPathComponent("landmark-schemas") }
    static var shared: URL { repoRoot.appendingPathComponent("../shared").standardizedFileURL }
    static var handXray: URL { shared.appendingPathComponent("data/hand-xray") }

    static func tempDir(_ name: String = #function) throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("ldk-\(name.filter { $0.isLetter })-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}

/// Stands in for a reader in dataset tests: each "image" file holds "width height [spacing]" as text.
struct TextHeaderSource: ImageSource {
    func image(at url: URL) throws -> XRayImage {
        let parts = try String(contentsOf: url, encoding: .utf8).split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard parts.count >= 2, let w = Int(parts[0]), let h = Int(parts[1]) else { throw CocoaError(.fileReadCorruptFile) }
        let spacing = parts.count > 2 ? Double(parts[2]).map { PixelSpacing(rowMM: $0, columnMM: $0, source: .pixelSpacing) } : nil
        // A gradient, so contrast and warping have something to act on.
        let px = (0..<(w * h)).map { Float($0 % w + $0 / w) }
        return XRayImage(rows: h, columns: w, pixels: px, spacing: spacing)
    }
}

/// Builds a small canonical dataset folder whose images are text headers.
func makeTextDataset(at root: URL, images: [String: (w: Int, h: Int)], csv: String, yaml: String? = nil,
                     splits: [String: [String]] = [:]) throws {
    let fm = FileManager.default
    for (id, size) in images {
        let f = root.appendingPathComponent("images/\(id).dcm")
        try fm.createDirectory(at: f.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "\(size.w) \(size.h) 0.5".write(to: f, atomically: true, encoding: .utf8)
    }
    try csv.write(to: root.appendingPathComponent("landmarks.csv"), atomically: true, encoding: .utf8)
    if let yaml { try yaml.write(to: root.appendingPathComponent("dataset.yaml"), atomically: true, encoding: .utf8) }
    for (name, ids) in splits {
        try fm.createDirectory(at: root.appendingPathComponent("splits"), withIntermediateDirectories: true)
        try ids.joined(separator: "\n").write(to: root.appendingPathComponent("splits/\(name).txt"), atomically: true, encoding: .utf8)
    }
}
