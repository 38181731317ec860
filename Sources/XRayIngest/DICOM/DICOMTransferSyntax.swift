/// Transfer syntaxes the DICOM writer can produce (all through DCMTK's encoders).
public enum DICOMTransferSyntax: String, Sendable, CaseIterable, Codable {
    case implicitVRLittleEndian = "1.2.840.10008.1.2"
    case explicitVRLittleEndian = "1.2.840.10008.1.2.1"
    case explicitVRBigEndian = "1.2.840.10008.1.2.2"
    case deflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99"
    case rleLossless = "1.2.840.10008.1.2.5"
    /// JPEG baseline (process 1), 8-bit only, lossy.
    case jpegBaseline = "1.2.840.10008.1.2.4.50"
    /// JPEG extended (process 2/4), up to 12 bits, lossy.
    case jpegExtended = "1.2.840.10008.1.2.4.51"
    /// JPEG lossless, process 14 (written with selection value 1).
    case jpegLossless = "1.2.840.10008.1.2.4.57"
    case jpegLosslessSV1 = "1.2.840.10008.1.2.4.70"
    case jpegLSLossless = "1.2.840.10008.1.2.4.80"
    /// JPEG-LS near-lossless with a maximum error of 2.
    case jpegLSNearLossless = "1.2.840.10008.1.2.4.81"

    /// The syntax as a DICOM UID.
    public var uid: String { rawValue }

    /// True when decoding gives back exactly the values written.
    public var isLossless: Bool {
        switch self {
        case .jpegBaseline, .jpegExtended, .jpegLSNearLossless: return false
        default: return true
        }
    }
}
