import Foundation

/// The order in which a reader should review predictions: hardest first by the AFL critic's score.
enum ReviewOrder {
    /// Images with a difficulty, hardest first (ties by name, so the order is stable); nil when none has one.
    static func ranked(_ predictions: [NamedPrediction]) -> [ImageDifficulty]? {
        let scored = predictions.compactMap { p in p.prediction.difficulty.map { ImageDifficulty(image: p.image, difficulty: $0) } }
        guard !scored.isEmpty else { return nil }
        return scored.sorted { $0.difficulty != $1.difficulty ? $0.difficulty > $1.difficulty : $0.image < $1.image }
    }

    /// The overlay file name that sorts by rank: `0001-0.7342-a__b.dcm.png` for rank 1 of image `a/b.dcm`.
    static func overlayName(rank: Int, of ranked: [ImageDifficulty]) -> String {
        let width = max(4, String(ranked.count).count)
        let r = String(rank + 1), number = String(repeating: "0", count: width - r.count) + r
        let item = ranked[rank]
        return "\(number)-\(String(format: "%.4f", item.difficulty))-\(item.image.replacingOccurrences(of: "/", with: "__")).png"
    }

    /// Moves `<folder>/<image>.png` to its ranked name in `folder` itself, then removes the subfolders left
    /// empty. Images whose overlay was not written (their failure is already reported) are skipped.
    static func renameOverlays(_ ranked: [ImageDifficulty], in folder: URL) throws {
        let fm = FileManager.default
        for rank in ranked.indices {
            let from = folder.appendingPathComponent(ranked[rank].image + ".png")
            guard fm.fileExists(atPath: from.path) else { continue }
            let to = folder.appendingPathComponent(overlayName(rank: rank, of: ranked))
            if fm.fileExists(atPath: to.path) { try fm.removeItem(at: to) }
            do { try fm.moveItem(at: from, to: to) } catch {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: to.path,
                                                               NSLocalizedDescriptionKey: "\(from.path) → \(to.path): \(error.localizedDescription)"])
            }
        }
        // Deepest first, so a folder emptied by removing its empty children goes too.
        let subfolders = (fm.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey])?.allObjects as? [URL] ?? [])
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            .sorted { $0.path.count > $1.path.count }
        for dir in subfolders where (try? fm.contentsOfDirectory(atPath: dir.path).isEmpty) == true {
            try? fm.removeItem(at: dir)
        }
    }
}
