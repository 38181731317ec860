import Foundation

/// Where a pixel spacing came from (docs/CONVENTIONS.md). `none` is represented by `XRayImage.spacing == nil`:
/// the toolkit never invents 1.0 mm.
public enum SpacingSource: String, Codable, Sendable, CaseIterable {
    /// (0028,0030) Pixel Spacing: calibrated at the patient plane.
    case pixelSpacing = "PixelSpacing"
    /// (0018,1164) Imager Pixel Spacing at the detector, divided by the
    /// Estimated Radiographic Magnification Factor when the file gives one.
    case imagerPixelSpacing = "ImagerPixelSpacing"
    /// Given by the user (dataset.yaml, a CSV column or a flag).
    case manifest
    /// Read from TIFF resolution tags (cm or inch units only).
    case tiffResolution = "TIFFResolution"
}

/// Physical size of one pixel, in millimetres.
///
/// DICOM stores Pixel Spacing as (row spacing, column spacing): `rowMM` is the distance between
/// the centres of adjacent rows (the y direction), `columnMM` between adjacent columns (x).
public struct PixelSpacing: Codable, Sendable, Equatable {
    public var rowMM: Double
    public var columnMM: Double
    public var source: SpacingSource
    /// The magnification factor that divided ImagerPixelSpacing, when one did.
    public var magnificationFactor: Double?

    public init(rowMM: Double, columnMM: Double, source: SpacingSource, magnificationFactor: Double? = nil) {
        self.rowMM = rowMM
        self.columnMM = columnMM
        self.source = source
        self.magnificationFactor = magnificationFactor
    }

    /// Distance in mm between two points given in pixels (x = column, y = row).
    public func distanceMM(dx: Double, dy: Double) -> Double {
        let mx = dx * columnMM, my = dy * rowMM
        return (mx * mx + my * my).squareRoot()
    }
}

/// DICOM (0028,0004) for the image as ingested. Colour files are converted to luminance
/// and reported with their original interpretation in `XRayImage.originalPhotometric`.
public enum Photometric: String, Codable, Sendable {
    case monochrome1 = "MONOCHROME1"
    case monochrome2 = "MONOCHROME2"
}

/// A window centre/width preset from (0028,1050)/(0028,1051), in Modality-LUT output units.
public struct WindowPreset: Codable, Sendable, Equatable {
    public var center: Double
    public var width: Double
    public var explanation: String?
    public init(center: Double, width: Double, explanation: String? = nil) {
        self.center = center
        self.width = width
        self.explanation = explanation
    }
}

/// A VOI LUT from the VOI LUT Sequence (0028,3010): input values below `firstMapped` map to
/// the first entry, above the last to the last entry. Kept for protocols that ask for it.
public struct VOILookupTable: Codable, Sendable, Equatable {
    public var firstMapped: Int
    public var bitsPerEntry: Int
    public var entries: [UInt16]
    public var explanation: String?
    public init(firstMapped: Int, bitsPerEntry: Int, entries: [UInt16], explanation: String? = nil) {
        self.firstMapped = firstMapped
        self.bitsPerEntry = bitsPerEntry
        self.entries = entries
        self.explanation = explanation
    }

    /// The LUT output for a Modality-LUT value, normalised to [0,1] by the entry bit depth.
    public func normalized(_ value: Float) -> Float {
        guard !entries.isEmpty else { return 0 }
        let i = min(max(Int(value.rounded(.down)) - firstMapped, 0), entries.count - 1)
        let maxOut = Float((1 << min(bitsPerEntry, 16)) - 1)
        return Float(entries[i]) / maxOut
    }
}

/// One X-ray frame, calibrated: the pixels are Float32 values after the Modality LUT, row-major,
/// `rows × columns`. No VOI has been applied and MONOCHROME1 is *not* inverted here: contrast
/// protocols do both (docs/CONVENTIONS.md), so that a brighter protocol output always means more attenuation.
///
/// It carries no patient identifiers: names, IDs and birth dates never leave the DICOM reader.
public struct XRayImage: Sendable {
    public var rows: Int
    public var columns: Int
    /// Modality-LUT output, row-major (index = y * columns + x).
    public var pixels: [Float]
    public var photometric: Photometric
    /// The file's own interpretation when it was colour (RGB, YBR_…, PALETTE COLOR) and has been
    /// converted to luminance; nil for greyscale files.
    public var originalPhotometric: String?
    /// nil when the file gives no usable spacing (source "none").
    public var spacing: PixelSpacing?
    public var windows: [WindowPreset]
    public var voiLUT: VOILookupTable?
    /// Range the stored values can take after the Modality LUT (from Bits Stored and the LUT), used
    /// by protocols that window on the full range. nil when unknown (e.g. float TIFF).
    public var valueRange: ClosedRange<Float>?
    public var modality: String?
    public var sopInstanceUID: String?
    public var transferSyntaxUID: String?
    public var frameCount: Int
    public var frameIndex: Int
    public var bitsStored: Int?
    /// Non-fatal things the reader noticed (colour converted, empty LUT ignored, …).
    public var warnings: [String]

    public init(rows: Int, columns: Int, pixels: [Float], photometric: Photometric = .monochrome2,
                originalPhotometric: String? = nil, spacing: PixelSpacing? = nil, windows: [WindowPreset] = [],
                voiLUT: VOILookupTable? = nil, valueRange: ClosedRange<Float>? = nil, modality: String? = nil,
                sopInstanceUID: String? = nil, transferSyntaxUID: String? = nil, frameCount: Int = 1,
                frameIndex: Int = 0, bitsStored: Int? = nil, warnings: [String] = []) {
        precondition(pixels.count == rows * columns, "XRayImage: \(pixels.count) pixels for \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.pixels = pixels
        self.photometric = photometric
        self.originalPhotometric = originalPhotometric
        self.spacing = spacing
        self.windows = windows
        self.voiLUT = voiLUT
        self.valueRange = valueRange
        self.modality = modality
        self.sopInstanceUID = sopInstanceUID
        self.transferSyntaxUID = transferSyntaxUID
        self.frameCount = frameCount
        self.frameIndex = frameIndex
        self.bitsStored = bitsStored
        self.warnings = warnings
    }

    @inlinable public subscript(y: Int, x: Int) -> Float {
        get { pixels[y * columns + x] }
        set { pixels[y * columns + x] = newValue }
    }
}
