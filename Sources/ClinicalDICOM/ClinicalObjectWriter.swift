import CDicomBridge
import FileOutput
import Foundation
import XRayIngest

/// The two clinical objects `landmark infer` can write beside its anonymous outputs.
public enum ClinicalObjectKind: String, Sendable, Codable, CaseIterable {
    /// A Comprehensive SR holding a TID 1500 measurement report: the machine-readable record.
    case structuredReport = "sr"
    /// A Grayscale Softcopy Presentation State: the landmarks drawn on the image in a viewer.
    case presentationState = "gsps"

    /// The output subfolder, which mirrors the inputs' folders.
    public var folder: String { self == .structuredReport ? "dicom-sr" : "dicom-gsps" }

    /// `<image path without extension>.sr.dcm` (or `.gsps.dcm`), relative to the output folder.
    public func relativePath(forImage image: String) -> String {
        let base = (image as NSString).deletingPathExtension
        return "\(folder)/\(base).\(rawValue).dcm"
    }
}

/// Writes SR and GSPS objects through DCMTK. Each object copies the source image's patient and study modules
/// (it belongs to that patient's study) and references the image by SOP Class and Instance UID; the copying
/// happens inside the C++ bridge, so no identifier passes through Swift or reaches a log. Files appear atomically.
public enum ClinicalObjectWriter {
    /// Writes `kind` for the landmarks of `source` (a DICOM image) to `url` and returns its SOP Instance UID.
    /// Throws a `DICOMError` naming `source` or `url` and the reason.
    @discardableResult
    public static func write(_ kind: ClinicalObjectKind, _ findings: LandmarkFindings, source: URL, to url: URL) throws -> String {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let strings = CStrings()
        defer { withExtendedLifetime(strings) {} } // the bridge reads them during the call
        let offset = LandmarkCoding.pixelCentreOffset
        let marks = findings.landmarks.map { l in
            ldk_landmark_finding(name: strings.keep(l.name), present: l.present ? 1 : 0, column: l.x + offset, row: l.y + offset,
                                 confidence: l.confidence, has_mm: l.xMM != nil && l.yMM != nil ? 1 : 0,
                                 x_mm: l.xMM ?? 0, y_mm: l.yMM ?? 0)
        }
        var uid = [CChar](repeating: 0, count: 128), err = [CChar](repeating: 0, count: 1024)
        var status: Int32 = 0
        try AtomicFile.write(to: url) { temporary in
            status = marks.withUnsafeBufferPointer { buffer in
                var f = ldk_findings()
                f.source_path = strings.keep(source.path)
                f.scheme_designator = strings.keep(LandmarkCoding.designator(forSchema: findings.schemaName))
                f.scheme_name = strings.keep(findings.schemaName)
                f.scheme_uid = strings.keep(LandmarkCoding.schemeUID(forSchema: findings.schemaName))
                f.algorithm_name = strings.keep(findings.algorithm.name)
                f.algorithm_version = strings.keep(findings.algorithm.version)
                f.model_identifier = strings.keep(findings.algorithm.modelIdentifier)
                f.device_uid = strings.keep(LandmarkCoding.deviceUID(forModel: findings.algorithm.modelIdentifier))
                f.presence_threshold = findings.presenceThreshold
                f.spacing_source = strings.keep(findings.spacingSourceText)
                f.landmarks = buffer.baseAddress
                f.landmark_count = Int32(buffer.count)
                switch kind {
                case .structuredReport: return ldk_sr_write(temporary, &f, &uid, uid.count, &err, err.count)
                case .presentationState: return ldk_gsps_write(temporary, &f, &uid, uid.count, &err, err.count)
                }
            }
            // Errors about the source name the source; the temporary name would mean nothing to a reader.
            guard status == 0 else { throw DICOMError(status: status, path: source.path, reason: String(cString: err)) }
        }
        return String(cString: uid)
    }
}

/// C strings that live until this object does: the bridge reads them during one call.
final class CStrings {
    private var pointers: [UnsafeMutablePointer<CChar>] = []
    func keep(_ s: String) -> UnsafePointer<CChar> {
        let p = strdup(s)!
        pointers.append(p)
        return UnsafePointer(p)
    }
    deinit { pointers.forEach { free($0) } }
}
