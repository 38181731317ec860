import ClinicalDICOM
import Foundation
import XRayIngest

/// What `--dicom-sr` / `--dicom-gsps` produced, for `summary.json`. Objects are named by the image's relative
/// path like every other output; what they contain (patient and study) never reaches the summary.
public struct ClinicalObjectsSummary: Codable, Equatable, Sendable {
    /// The kinds asked for.
    public var kinds: [ClinicalObjectKind]
    /// Objects written, all kinds together.
    public var written: Int
    /// Predicted images whose objects could not be written, with the reason.
    public var failures: [InferenceFailure]
    /// Predicted images that are not DICOM (TIFF): they have no UIDs or patient to reference, so no object.
    public var notDICOM: [String]
}

/// Writes the SR and GSPS of each predicted DICOM image into the output folder, carrying on past failures.
struct ClinicalObjectOutput {
    var kinds: [ClinicalObjectKind]
    var output: URL
    var schemaName: String
    var threshold: Double
    var algorithm: AlgorithmIdentity

    /// `sources` maps an image name to its DICOM file; images missing from it are not DICOM.
    func write(_ predictions: [NamedPrediction], sources: [String: URL], root: String) -> ClinicalObjectsSummary {
        var summary = ClinicalObjectsSummary(kinds: kinds, written: 0, failures: [], notDICOM: [])
        for p in predictions {
            guard let source = sources[p.image] else { summary.notDICOM.append(p.image); continue }
            let findings = Self.findings(p.prediction, schemaName: schemaName, threshold: threshold, algorithm: algorithm)
            for kind in kinds {
                let url = output.appendingPathComponent(kind.relativePath(forImage: p.image))
                do {
                    try ClinicalObjectWriter.write(kind, findings, source: source, to: url)
                    summary.written += 1
                } catch {
                    let reason = InferenceJob.anonymisePaths("\(kind.folder) not written: \(error)", root: root)
                    summary.failures.append(InferenceFailure(image: p.image, reason: reason))
                }
            }
        }
        return summary
    }

    /// The prediction as the clinical objects record it: every landmark, found or not, in schema order.
    static func findings(_ p: ImagePrediction, schemaName: String, threshold: Double, algorithm: AlgorithmIdentity) -> LandmarkFindings {
        LandmarkFindings(schemaName: schemaName,
                         landmarks: p.landmarks.map {
                             LandmarkFinding(name: $0.name, x: $0.x, y: $0.y, confidence: $0.confidence, present: $0.present,
                                             xMM: $0.xMM, yMM: $0.yMM)
                         },
                         presenceThreshold: threshold, spacing: p.spacing, algorithm: algorithm)
    }
}
