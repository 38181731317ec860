import CDicomBridge

/// Colour files become one luminance channel: the detector works on greyscale radiographs.
enum LuminanceConversion {
    /// Rec. 601 luma weights, the ones JPEG's YCbCr uses, so RGB and YBR files agree.
    static func fromRGB(_ samples: [Int32], pixels: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: pixels) { out, initialized in
            samples.withUnsafeBufferPointer { s in
                for p in 0..<pixels {
                    let r = Float(s[3 * p]), g = Float(s[3 * p + 1]), b = Float(s[3 * p + 2])
                    out[p] = 0.299 * r + 0.587 * g + 0.114 * b
                }
            }
            initialized = pixels
        }
    }

    /// YCbCr samples already carry luminance in Y.
    static func fromYBR(_ samples: [Int32], pixels: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: pixels) { out, initialized in
            samples.withUnsafeBufferPointer { s in
                for p in 0..<pixels { out[p] = Float(s[3 * p]) }
            }
            initialized = pixels
        }
    }

    struct Palette {
        var firstMapped: Int
        var bitsPerEntry: Int
        var red: [UInt16], green: [UInt16], blue: [UInt16]
    }

    static func fromPalette(_ indices: [Int32], palette: Palette) -> [Float] {
        let n = indices.count
        let last = min(palette.red.count, palette.green.count, palette.blue.count) - 1
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            indices.withUnsafeBufferPointer { s in
                for i in 0..<n {
                    let k = min(max(Int(s[i]) - palette.firstMapped, 0), last)
                    out[i] = 0.299 * Float(palette.red[k]) + 0.587 * Float(palette.green[k]) + 0.114 * Float(palette.blue[k])
                }
            }
            initialized = n
        }
    }

    static func palette(from handle: DICOMHandle) throws -> Palette {
        var channels: [[UInt16]] = []
        var first = 0, bits = 16
        for kind in [LDK_LUT_PALETTE_RED, LDK_LUT_PALETTE_GREEN, LDK_LUT_PALETTE_BLUE] {
            switch handle.lut(kind) {
            case .table(let f, let b, let entries, _) where !entries.isEmpty:
                first = f
                bits = b
                channels.append(entries)
            case .unusable(let why):
                throw DICOMError(.unsupported, path: handle.path, reason: "palette colour table: \(why)")
            default:
                throw DICOMError(.unsupported, path: handle.path, reason: "PALETTE COLOR without palette tables")
            }
        }
        return Palette(firstMapped: first, bitsPerEntry: bits, red: channels[0], green: channels[1], blue: channels[2])
    }
}
