import CDicomBridge
import Foundation
import XRayIngest

/// One landmark as an SR records it, back in the toolkit's pixel convention (integer = pixel centre).
public struct ReportedLandmark: Sendable, Equatable {
    public var codeValue: String
    public var codingSchemeDesignator: String
    public var codeMeaning: String
    /// false: recorded as not found.
    public var present: Bool
    /// The SCOORD POINT, minus DICOM's half-pixel offset; nil when the SR gives none.
    public var x: Double?
    public var y: Double?
    /// The image the point was selected from.
    public var referencedSOPInstanceUID: String?
    /// LandmarkKit's confidence code; nil in SRs that do not state one.
    public var confidence: Double?
}

/// What an SR says about the landmarks of the image it describes. It holds no patient data: the bridge never
/// returns any.
public struct LandmarkReportDocument: Sendable, Equatable {
    public var sopClassUID: String
    public var sopInstanceUID: String
    /// The image the report describes (the first one it references).
    public var referencedSOPClassUID: String
    public var referencedSOPInstanceUID: String
    /// The coding scheme of the landmark names, and its name when the SR lists it (LandmarkKit: the schema's).
    public var codingSchemeDesignator: String
    public var codingSchemeName: String?
    public var algorithmName: String?
    public var algorithmVersion: String?
    public var modelIdentifier: String?
    public var presenceThreshold: Double?
    public var landmarks: [ReportedLandmark]
}

/// Reads landmark SRs: LandmarkKit's own, and other systems' that follow the same TID 1500 pattern (a
/// Measurement Group per landmark with a Finding code and, when found, a SCOORD POINT selected from the image).
public enum StructuredReportReader {
    /// Throws a `DICOMError` naming `url` when it is not a readable DICOM SR.
    public static func read(_ url: URL) throws -> LandmarkReportDocument {
        var info = ldk_sr_info()
        var capacity = 64
        while true {
            var marks = [ldk_sr_landmark](repeating: ldk_sr_landmark(), count: capacity)
            var err = [CChar](repeating: 0, count: 1024)
            let status = ldk_sr_read(url.path, &info, &marks, marks.count, &err, err.count)
            if status == Int32(LDK_ERR_BUFFER_TOO_SMALL.rawValue), Int(info.landmark_count) > capacity {
                capacity = Int(info.landmark_count)
                continue
            }
            guard status == 0 else { throw DICOMError(status: status, path: url.path, reason: String(cString: err)) }
            return document(info, Array(marks.prefix(Int(info.landmark_count))))
        }
    }

    static func document(_ info: ldk_sr_info, _ marks: [ldk_sr_landmark]) -> LandmarkReportDocument {
        var copy = info
        let offset = LandmarkCoding.pixelCentreOffset
        let landmarks = marks.map { m -> ReportedLandmark in
            var m = m
            let ref = text(&m.referenced_sop_instance_uid)
            return ReportedLandmark(codeValue: text(&m.code_value), codingSchemeDesignator: text(&m.coding_scheme_designator),
                                    codeMeaning: text(&m.code_meaning), present: m.present != 0,
                                    x: m.has_point != 0 ? m.column - offset : nil, y: m.has_point != 0 ? m.row - offset : nil,
                                    referencedSOPInstanceUID: ref.isEmpty ? nil : ref,
                                    confidence: m.has_confidence != 0 ? m.confidence : nil)
        }
        let optional = { (s: String) in s.isEmpty ? nil : s }
        return LandmarkReportDocument(
            sopClassUID: text(&copy.sop_class_uid), sopInstanceUID: text(&copy.sop_instance_uid),
            referencedSOPClassUID: text(&copy.referenced_sop_class_uid),
            referencedSOPInstanceUID: text(&copy.referenced_sop_instance_uid),
            codingSchemeDesignator: text(&copy.coding_scheme_designator), codingSchemeName: optional(text(&copy.coding_scheme_name)),
            algorithmName: optional(text(&copy.algorithm_name)), algorithmVersion: optional(text(&copy.algorithm_version)),
            modelIdentifier: optional(text(&copy.model_identifier)),
            presenceThreshold: copy.has_presence_threshold != 0 ? copy.presence_threshold : nil, landmarks: landmarks)
    }

    /// A fixed C char array (imported as a tuple) as a String.
    static func text<T>(_ tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
