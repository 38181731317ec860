import Foundation
import XRayIngest

// TEST-ONLY STAND-IN, TO BE REPLACED by the real DICOM reader (branch ingest-dicom) once it lands.
// It reads just what the protocol tests need from uncompressed explicit-VR little-endian files
// (4 of the 112 hand-xray images): no compression, no big endian, no implicit VR, no LUTs.
enum TestOnlyExplicitVRReader {
    struct Unsupported: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ url: URL) throws -> XRayImage {
        let data = [UInt8](try Data(contentsOf: url))
        guard data.count > 132, data[128..<132].elementsEqual("DICM".utf8) else {
            throw Unsupported(description: "\(url.path): no DICM preamble")
        }
        var elements: [UInt32: ArraySlice<UInt8>] = [:]
        var offset = 132
        try parse(data, &offset, end: data.count, into: &elements)
        guard string(elements[0x0002_0010]) == "1.2.840.10008.1.2.1" else {
            throw Unsupported(description: "\(url.path): not explicit VR little endian")
        }
        func u16(_ tag: UInt32) -> Int? {
            guard let v = elements[tag], v.count >= 2 else { return nil }
            return Int(v[v.startIndex]) | Int(v[v.startIndex + 1]) << 8
        }
        func numbers(_ tag: UInt32) -> [Double] {
            string(elements[tag]).split(separator: "\\").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        }
        guard let rows = u16(0x0028_0010), let columns = u16(0x0028_0011), let pixelData = elements[0x7FE0_0010],
              u16(0x0028_0100) == 16, pixelData.count >= rows * columns * 2 else {
            throw Unsupported(description: "\(url.path): missing image attributes")
        }
        let slope = numbers(0x0028_1053).first ?? 1, intercept = numbers(0x0028_1052).first ?? 0
        let bits = u16(0x0028_0101) ?? 16
        var pixels = [Float](repeating: 0, count: rows * columns)
        let base = pixelData.startIndex
        for i in 0..<(rows * columns) {
            let stored = Int(pixelData[base + 2 * i]) | Int(pixelData[base + 2 * i + 1]) << 8
            pixels[i] = Float(Double(stored & ((1 << bits) - 1)) * slope + intercept)
        }
        let spacing = numbers(0x0028_0030)
        let photometric: Photometric = string(elements[0x0028_0004]) == "MONOCHROME1" ? .monochrome1 : .monochrome2
        let windows = zip(numbers(0x0028_1050), numbers(0x0028_1051)).map { WindowPreset(center: $0, width: $1) }
        let low = Float(intercept), high = Float(Double((1 << bits) - 1) * slope + intercept)
        return XRayImage(rows: rows, columns: columns, pixels: pixels, photometric: photometric,
                         spacing: spacing.count == 2 ? PixelSpacing(rowMM: spacing[0], columnMM: spacing[1], source: .pixelSpacing) : nil,
                         windows: windows, valueRange: min(low, high)...max(low, high), bitsStored: bits)
    }

    private static func string(_ bytes: ArraySlice<UInt8>?) -> String {
        String(decoding: bytes ?? [], as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " \0"))
    }

    private static let longVRs: Set<String> = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT"]

    private static func parse(_ d: [UInt8], _ offset: inout Int, end: Int, into elements: inout [UInt32: ArraySlice<UInt8>]) throws {
        func u16(_ o: Int) -> Int { Int(d[o]) | Int(d[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        while offset + 8 <= end {
            let tag = UInt32(u16(offset)) << 16 | UInt32(u16(offset + 2))
            if tag == 0xFFFE_E00D || tag == 0xFFFE_E0DD { offset += 8; return }
            let vr = String(decoding: d[(offset + 4)..<(offset + 6)], as: UTF8.self)
            let length: Int, header: Int
            if longVRs.contains(vr) {
                length = u32(offset + 8); header = 12
            } else {
                length = u16(offset + 6); header = 8
            }
            offset += header
            if vr == "SQ" {
                try skipSequence(d, &offset, length: length)
                continue
            }
            guard length != 0xFFFF_FFFF, offset + length <= end else {
                throw Unsupported(description: "undefined or overlong element length at \(offset)")
            }
            elements[tag] = d[offset..<(offset + length)]
            offset += length
        }
    }

    private static func skipSequence(_ d: [UInt8], _ offset: inout Int, length: Int) throws {
        if length != 0xFFFF_FFFF { offset += length; return }
        func u32(_ o: Int) -> Int { Int(d[o]) | Int(d[o + 1]) << 8 | Int(d[o + 2]) << 16 | Int(d[o + 3]) << 24 }
        while offset + 8 <= d.count {
            let group = Int(d[offset]) | Int(d[offset + 1]) << 8, element = Int(d[offset + 2]) | Int(d[offset + 3]) << 8
            let itemLength = u32(offset + 4)
            offset += 8
            if group == 0xFFFE && element == 0xE0DD { return }
            if itemLength == 0xFFFF_FFFF {
                var ignored: [UInt32: ArraySlice<UInt8>] = [:]
                try parse(d, &offset, end: d.count, into: &ignored)
            } else {
                offset += itemLength
            }
        }
    }
}
