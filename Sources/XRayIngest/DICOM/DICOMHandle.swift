import Foundation
import CDicomBridge

/// Owns one parsed file on the C side; closes it when released.
final class DICOMHandle {
    let path: String
    private let raw: OpaquePointer
    let info: ldk_dicom_info

    init(path: String) throws {
        self.path = path
        var handle: OpaquePointer?
        var err = [CChar](repeating: 0, count: 512)
        let status = ldk_dicom_open(path, &handle, &err, err.count)
        guard status == 0, let handle else {
            throw DICOMError(status: status, path: path, reason: String(cString: err))
        }
        raw = handle
        var info = ldk_dicom_info()
        ldk_dicom_get_info(handle, &info)
        self.info = info
    }

    deinit { ldk_dicom_close(raw) }

    var header: DICOMHeaderSummary {
        var i = info
        let modality = Self.string(&i.modality)
        return DICOMHeaderSummary(
            transferSyntaxUID: Self.string(&i.transfer_syntax_uid), rows: Int(i.rows), columns: Int(i.columns),
            frames: Int(i.frames), samplesPerPixel: Int(i.samples_per_pixel), bitsAllocated: Int(i.bits_allocated),
            bitsStored: Int(i.bits_stored), highBit: Int(i.high_bit), pixelRepresentation: Int(i.pixel_representation),
            photometric: Self.string(&i.photometric), sopClassUID: Self.string(&i.sop_class_uid),
            sopInstanceUID: Self.string(&i.sop_instance_uid), modality: modality.isEmpty ? nil : modality,
            hasMetaHeader: i.has_meta_header != 0)
    }

    /// Window presets in file order.
    func windows() -> [(center: Double, width: Double, explanation: String?)] {
        (0..<Int(info.window_count)).compactMap { index in
            var c = 0.0, w = 0.0
            var text = [CChar](repeating: 0, count: 256)
            guard ldk_dicom_get_window(raw, Int32(index), &c, &w, &text, text.count) == 0 else { return nil }
            let explanation = String(cString: text)
            return (c, w, explanation.isEmpty ? nil : explanation)
        }
    }

    enum LUTQuery {
        case absent
        case unusable(String)
        case table(firstMapped: Int, bitsPerEntry: Int, entries: [UInt16], explanation: String?)
    }

    func lut(_ kind: ldk_lut_kind) -> LUTQuery {
        var first: Int32 = 0, bits: Int32 = 0, count: Int32 = 0
        var text = [CChar](repeating: 0, count: 256)
        let found = ldk_dicom_get_lut(raw, Int32(kind.rawValue), &first, &bits, &count, nil, 0, &text, text.count)
        if found == 0 { return .absent }
        if found < 0 { return .unusable(String(cString: text)) }
        var entries = [UInt16](repeating: 0, count: Int(count))
        _ = entries.withUnsafeMutableBufferPointer { buffer in
            ldk_dicom_get_lut(raw, Int32(kind.rawValue), &first, &bits, &count, buffer.baseAddress, buffer.count,
                              &text, text.count)
        }
        let explanation = String(cString: text)
        return .table(firstMapped: Int(first), bitsPerEntry: Int(bits), entries: entries,
                      explanation: explanation.isEmpty ? nil : explanation)
    }

    /// Stored values of one frame, samples interleaved, plus their colour model.
    /// `flags` (ldk_decode_flags) let tests cross-check the built-in JPEG lossless decoder against DCMTK.
    func decodeFrame(_ frame: Int, flags: ldk_decode_flags = LDK_DECODE_DEFAULT) throws -> (values: [Int32], colour: ldk_colour_model) {
        let count = max(Int(info.rows), 0) * max(Int(info.columns), 0) * max(Int(info.samples_per_pixel), 1)
        var model: Int32 = 0
        var err = [CChar](repeating: 0, count: 512)
        var status: Int32 = 0
        // Uninitialised: on success the bridge writes every element, on failure the array is dropped.
        var values = [Int32](unsafeUninitializedCapacity: max(count, 1)) { buffer, initialized in
            status = ldk_dicom_decode_frame_flags(raw, Int32(clamping: frame), Int32(flags.rawValue),
                                                  buffer.baseAddress, buffer.count, &model, &err, err.count)
            initialized = buffer.count
        }
        guard status == 0 else { throw DICOMError(status: status, path: path, reason: String(cString: err)) }
        if values.count != count { values.removeLast(values.count - count) }
        return (values, ldk_colour_model(rawValue: UInt32(bitPattern: model)))
    }

    /// Reads a fixed-size C char array (imported as a tuple) as a Swift string.
    private static func string<T>(_ tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { bytes in
            let chars = bytes.bindMemory(to: CChar.self)
            let length = chars.firstIndex(of: 0) ?? chars.count
            return String(decoding: bytes.prefix(length), as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
    }
}
