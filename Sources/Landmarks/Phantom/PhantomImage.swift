import Foundation
import XRayIngest

/// Difficulties a phantom image was given on purpose; recorded per image so results can be broken down by them.
public enum PhantomHardCase: String, Sendable, Codable, CaseIterable {
    /// The field of view cuts off the top or bottom of the spine; corners outside the image are absent.
    case cutOff = "cut-off"
    /// Dense ribs and iliac wings over the vertebral bodies.
    case overlap
    /// Pedicle screws and a rod (metal saturates the detector).
    case metal = "metal-implant"
    /// Strong lordosis and tilt.
    case strongCurvature = "strong-curvature"
    /// Few photons: strong quantum noise.
    case lowDose = "low-dose"
}

/// What was drawn and how it was stored, for one phantom image (the sidecar's row). Holds no patient data.
public struct PhantomCase: Sendable, Codable, Equatable {
    public var id: String
    public var seed: UInt64
    public var rows: Int
    public var columns: Int
    public var spacingMM: Double
    /// "PixelSpacing" or "ImagerPixelSpacing" (the latter with a magnification factor).
    public var spacingAttribute: String
    public var magnificationFactor: Double?
    public var photometric: Photometric
    public var bitsStored: Int
    public var transferSyntaxUID: String
    public var hardCases: [PhantomHardCase]
    public var absentLandmarks: [String]
    public var lordosisDeg: Double
    public var rotationDeg: Double
    public var scale: Double
    public var photonsPerPixel: Double
}

/// One rendered phantom: stored pixel values as a DICOM writer wants them, plus the truth.
public struct PhantomImage: Sendable {
    public var info: PhantomCase
    /// rows × columns stored values (MONOCHROME1 already inverted), within `bitsStored` bits.
    public var stored: [UInt16]
    /// The 36 corners in pixel coordinates; nil where cut off by the field of view.
    public var landmarks: [LandmarkPoint?]
    public var windowCenter: Double
    public var windowWidth: Double

    /// The pixel spacing a reader should report for this image (patient plane).
    public var spacing: PixelSpacing {
        if let m = info.magnificationFactor {
            return PixelSpacing(rowMM: info.spacingMM, columnMM: info.spacingMM, source: .imagerPixelSpacing, magnificationFactor: m)
        }
        return PixelSpacing(rowMM: info.spacingMM, columnMM: info.spacingMM, source: .pixelSpacing)
    }

    /// The image as a reader would deliver it (Modality LUT identity, no inversion), for use without any file I/O.
    public var xrayImage: XRayImage {
        XRayImage(rows: info.rows, columns: info.columns, pixels: stored.map(Float.init), photometric: info.photometric,
                  spacing: spacing, windows: [WindowPreset(center: windowCenter, width: windowWidth, explanation: "P1-P99")],
                  valueRange: 0...Float((1 << info.bitsStored) - 1), modality: "DX", transferSyntaxUID: info.transferSyntaxUID,
                  bitsStored: info.bitsStored)
    }
}
