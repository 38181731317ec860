import Foundation
import Landmarks

/// A folder of SRs written by one system (another toolkit, a vendor's product, or `landmark infer --dicom-sr`),
/// read as predictions of a schema's landmarks for the images the SRs reference, so a report can compare that
/// system with trained models on the same test set.
///
/// Images are matched by the SOP Instance UID an SR references. A landmark is matched to the schema by its code
/// value, else its code meaning (a schema name, or an alias where the schema defines them). A schema landmark that
/// an SR does not mention counts as not found. Problems never stop the load: each is listed with its file.
public struct SRPredictionFolder: Sendable {
    /// A file skipped, or a landmark not matched, and why.
    public struct Issue: Sendable, Equatable, CustomStringConvertible {
        /// Path relative to the folder.
        public var file: String
        public var reason: String
        public var description: String { "\(file): \(reason)" }
    }

    public var folder: URL
    /// Predictions in schema order, keyed by the referenced image's SOP Instance UID.
    public var predictions: [String: [LandmarkPrediction]]
    /// The algorithms the SRs name, e.g. "LandmarkKit 0.1.0 (small tiny-3 sha256:…)", each once.
    public var algorithms: [String]
    public var issues: [Issue]
    /// SR files read successfully.
    public var filesRead: Int

    /// Reads every file under `folder` (recursively, hidden files skipped). Throws only when the folder cannot be
    /// listed or holds no readable SR at all.
    public static func load(_ folder: URL, schema: LandmarkSchema) throws -> SRPredictionFolder {
        let root = folder.standardizedFileURL.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue,
              let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else {
            throw SRPredictionError("\(folder.path): not a folder of DICOM SR files")
        }
        let files = walker.compactMap { $0 as? URL }
            .filter { (try? $0.resolvingSymlinksInPath().resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .map { (url: $0, name: String($0.standardizedFileURL.resolvingSymlinksInPath().path.dropFirst(root.path.count + 1))) }
            .sorted { $0.name < $1.name }

        var result = SRPredictionFolder(folder: folder, predictions: [:], algorithms: [], issues: [], filesRead: 0)
        for file in files {
            let document: LandmarkReportDocument
            do { document = try StructuredReportReader.read(file.url) } catch {
                result.issues.append(Issue(file: file.name, reason: "skipped, not a landmark SR: \(reason(error))"))
                continue
            }
            result.filesRead += 1
            guard !document.referencedSOPInstanceUID.isEmpty else {
                result.issues.append(Issue(file: file.name, reason: "skipped: references no image"))
                continue
            }
            guard result.predictions[document.referencedSOPInstanceUID] == nil else {
                result.issues.append(Issue(file: file.name, reason: "skipped: another SR in the folder already describes its image"))
                continue
            }
            let (marks, problems) = map(document, to: schema)
            result.issues += problems.map { Issue(file: file.name, reason: $0) }
            result.predictions[document.referencedSOPInstanceUID] = marks
            let algorithm = [document.algorithmName, document.algorithmVersion].compactMap { $0 }.joined(separator: " ")
                + (document.modelIdentifier.map { " (\($0))" } ?? "")
            if !algorithm.isEmpty, !result.algorithms.contains(algorithm) { result.algorithms.append(algorithm) }
        }
        guard result.filesRead > 0 else {
            throw SRPredictionError("\(folder.path): no readable DICOM SR among \(files.count) file(s)"
                + (result.issues.first.map { "; first: \($0)" } ?? ""))
        }
        return result
    }

    /// One SR's landmarks in schema order, and what could not be matched.
    static func map(_ document: LandmarkReportDocument, to schema: LandmarkSchema) -> ([LandmarkPrediction], [String]) {
        var marks = [LandmarkPrediction](repeating: .unplaced, count: schema.count)
        var problems: [String] = []
        for l in document.landmarks {
            guard let k = schema.index(of: l.codeValue) ?? schema.index(of: l.codeMeaning) else {
                problems.append("landmark '\(l.codeMeaning)' (code \(l.codeValue), scheme \(l.codingSchemeDesignator)) "
                    + "is not in schema '\(schema.name)'; ignored")
                continue
            }
            // Without a confidence, the SR's own decision stands at every τ in (0, 1].
            let confidence = l.confidence ?? (l.present ? 1 : 0)
            if l.present, let x = l.x, let y = l.y {
                marks[k] = LandmarkPrediction(x: x, y: y, confidence: confidence, present: true)
            } else {
                if l.present { problems.append("landmark '\(schema.names[k])' is marked found but has no point; counted as not found") }
                // No point to place: no τ may turn it into a detection, so its confidence is 0, not the SR's.
                marks[k] = .unplaced
            }
        }
        return (marks, problems)
    }

    static func reason(_ error: Error) -> String {
        String(describing: error)
    }
}

/// Why a folder of SRs cannot serve as predictions; the message names the folder.
public struct SRPredictionError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
