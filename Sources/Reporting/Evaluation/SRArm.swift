import ClinicalDICOM
import Foundation
import Landmarks
import XRayIngest

/// Another system's predictions, read from a folder of DICOM SRs (`--predictions-sr`): one more arm of the
/// comparison, evaluated on the same test images as the models, with the same definitions of FN, FP and misses.
/// Its predictions were made once, outside this toolkit, so they are the same under every contrast protocol.
struct SRArm {
    var model: ReportModel
    /// Schema-ordered predictions per test image, aligned with the report's images; an image no SR references
    /// has every landmark not found.
    var predictions: [[LandmarkPrediction]]
    var notes: [String]

    /// Issues listed one by one in the notes; the rest are counted.
    static let listedIssues = 5

    static func load(_ folder: URL, name: String, schema: LandmarkSchema, images: [AnnotatedImage], sopInstanceUIDs: [String?]) throws -> SRArm {
        let set: SRPredictionFolder
        do { set = try SRPredictionFolder.load(folder, schema: schema) } catch { throw ReportError("--predictions-sr \(error)") }
        let notFound = [LandmarkPrediction](repeating: .unplaced, count: schema.count)
        var matched = 0
        let predictions = sopInstanceUIDs.map { uid -> [LandmarkPrediction] in
            guard let uid, let p = set.predictions[uid] else { return notFound }
            matched += 1
            return p
        }
        guard matched > 0 else {
            throw ReportError("--predictions-sr \(folder.path): none of its \(set.filesRead) SR(s) references an image of the "
                + "evaluated split (matched by SOP Instance UID)")
        }
        var notes = ["\(name): predictions read from \(set.filesRead) DICOM SR(s); they do not depend on the contrast protocol, "
            + "so its numbers are the same under every protocol"]
        if matched < images.count {
            notes.append("\(name): \(images.count - matched) of \(images.count) test image(s) have no SR; every landmark on them "
                + "counts as not found")
        }
        for issue in set.issues.prefix(listedIssues) { notes.append("\(name): \(issue)") }
        if set.issues.count > listedIssues { notes.append("\(name): \(set.issues.count - listedIssues) more SR issue(s)") }
        var facts = ["source": "DICOM SR folder", "images with an SR": "\(matched) of \(images.count)"]
        if !set.algorithms.isEmpty { facts["algorithm"] = set.algorithms.joined(separator: "; ") }
        return SRArm(model: ReportModel(name: name, path: folder.path, training: facts), predictions: predictions, notes: notes)
    }

    /// A display name unique among `used`: the folder's name, else with "-sr", else numbered.
    static func uniqueName(for folder: URL, among used: Set<String>) -> String {
        let base = folder.standardizedFileURL.lastPathComponent
        if !used.contains(base) { return base }
        var name = base + "-sr", n = 2
        while used.contains(name) { name = "\(base)-sr-\(n)"; n += 1 }
        return name
    }
}
