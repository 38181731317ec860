import CDicomBridge
import FileOutput
import Foundation

/// Writes single-frame Digital X-Ray (DX, For Presentation) files through DCMTK.
///
/// Files appear atomically: DCMTK writes a temporary file in the target folder, which is then
/// renamed over the destination. No patient identity is written unless the image carries one.
public struct DICOMWriter: Sendable {
    /// What to write: unsigned stored values plus the attributes the reader gives back.
    public struct Image: Sendable {
        public var rows: Int
        public var columns: Int
        /// Row-major stored values, each < 2^bitsStored.
        public var storedValues: [UInt16]
        /// 8...16; 8 or fewer are written with 8 bits allocated.
        public var bitsStored: Int
        public var photometric: Photometric
        /// (row, column) in mm.
        public var pixelSpacing: (row: Double, column: Double)?
        public var imagerPixelSpacing: (row: Double, column: Double)?
        public var magnificationFactor: Double?
        /// Written as Rescale Slope/Intercept when set (non-conformant for DX, but readers must honour it).
        public var rescale: (slope: Double, intercept: Double)?
        public var windows: [WindowPreset]
        /// Generated when nil.
        public var sopInstanceUID: String?
        public var patientName: String?
        public var patientID: String?

        public init(rows: Int, columns: Int, storedValues: [UInt16], bitsStored: Int = 16,
                    photometric: Photometric = .monochrome2, pixelSpacing: (row: Double, column: Double)? = nil,
                    imagerPixelSpacing: (row: Double, column: Double)? = nil, magnificationFactor: Double? = nil,
                    rescale: (slope: Double, intercept: Double)? = nil, windows: [WindowPreset] = [],
                    sopInstanceUID: String? = nil, patientName: String? = nil, patientID: String? = nil) {
            self.rows = rows
            self.columns = columns
            self.storedValues = storedValues
            self.bitsStored = bitsStored
            self.photometric = photometric
            self.pixelSpacing = pixelSpacing
            self.imagerPixelSpacing = imagerPixelSpacing
            self.magnificationFactor = magnificationFactor
            self.rescale = rescale
            self.windows = windows
            self.sopInstanceUID = sopInstanceUID
            self.patientName = patientName
            self.patientID = patientID
        }
    }

    public var transferSyntax: DICOMTransferSyntax
    /// 1...100, for JPEG baseline/extended only.
    public var lossyQuality: Int

    public init(transferSyntax: DICOMTransferSyntax = .explicitVRLittleEndian, lossyQuality: Int = 90) {
        self.transferSyntax = transferSyntax
        self.lossyQuality = lossyQuality
    }

    /// Writes `image` to `url` and returns the SOP Instance UID used.
    @discardableResult
    public func write(_ image: Image, to url: URL) throws -> String {
        let path = url.path
        try validate(image, path: path)
        var uid = [CChar](repeating: 0, count: 128)
        var err = [CChar](repeating: 0, count: 512)
        let centers = image.windows.map(\.center), widths = image.windows.map(\.width)
        do {
            try AtomicFile.write(to: url) { temporary in
                let status: Int32 = withOptionalCString(image.sopInstanceUID) { sop in
                    withOptionalCString(image.patientName) { name in
                        withOptionalCString(image.patientID) { id in
                            transferSyntax.uid.withCString { ts in
                                centers.withUnsafeBufferPointer { c in
                                    widths.withUnsafeBufferPointer { w in
                                        var p = ldk_dicom_write_params()
                                        p.rows = Int32(image.rows)
                                        p.columns = Int32(image.columns)
                                        p.bits_stored = Int32(image.bitsStored)
                                        p.monochrome1 = image.photometric == .monochrome1 ? 1 : 0
                                        p.transfer_syntax_uid = ts
                                        p.sop_instance_uid = sop
                                        p.patient_name = name
                                        p.patient_id = id
                                        if let s = image.pixelSpacing {
                                            p.has_pixel_spacing = 1
                                            p.pixel_spacing = (s.row, s.column)
                                        }
                                        if let s = image.imagerPixelSpacing {
                                            p.has_imager_pixel_spacing = 1
                                            p.imager_pixel_spacing = (s.row, s.column)
                                        }
                                        if let m = image.magnificationFactor {
                                            p.has_magnification = 1
                                            p.magnification = m
                                        }
                                        if let r = image.rescale {
                                            p.has_rescale = 1
                                            p.rescale_slope = r.slope
                                            p.rescale_intercept = r.intercept
                                        }
                                        p.window_count = Int32(image.windows.count)
                                        p.window_centers = c.baseAddress
                                        p.window_widths = w.baseAddress
                                        p.lossy_quality = Int32(lossyQuality)
                                        return image.storedValues.withUnsafeBufferPointer { pixels in
                                            ldk_dicom_write(temporary, &p, pixels.baseAddress, &uid, uid.count, &err, err.count)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                guard status == 0 else { throw DICOMError(status: status, path: path, reason: String(cString: err)) }
            }
        } catch let e as FileWriteError {
            throw DICOMError(.writeFailed, path: path, reason: e.reason)
        }
        return String(cString: uid)
    }

    private func validate(_ image: Image, path: String) throws {
        guard image.rows > 0, image.columns > 0, image.rows <= 65535, image.columns <= 65535 else {
            throw DICOMError(.zeroSize, path: path, reason: "rows \(image.rows), columns \(image.columns)")
        }
        guard image.storedValues.count == image.rows * image.columns else {
            throw DICOMError(.invalidArgument, path: path,
                             reason: "\(image.storedValues.count) values for \(image.rows)×\(image.columns)")
        }
        guard (8...16).contains(image.bitsStored) else {
            throw DICOMError(.inconsistentBitDepth, path: path, reason: "bits stored \(image.bitsStored) not in 8...16")
        }
        let limit = UInt16(truncatingIfNeeded: (1 << image.bitsStored) - 1)
        if image.bitsStored < 16, let big = image.storedValues.first(where: { $0 > limit }) {
            throw DICOMError(.inconsistentBitDepth, path: path,
                             reason: "stored value \(big) does not fit in \(image.bitsStored) bits")
        }
    }
}

/// Passes a C string or NULL, keeping the bridge's "NULL means absent" convention.
private func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let s else { return body(nil) }
    return s.withCString { body($0) }
}
