import Foundation
import XCTest

/// Builds small uncompressed little-endian TIFFs byte by byte, independent of libtiff, so that
/// the reader is also tested on files its own writer did not produce (colour, signed, odd tags).
struct HandMadeTIFF {
    enum Value {
        case short([UInt16])
        case long([UInt32])
        case rational([(UInt32, UInt32)])
    }

    var entries: [(tag: UInt16, value: Value)] = []
    var pixelData: [UInt8] = []

    /// A one-strip image; `extra` adds or overrides tags.
    static func strip(width: Int, height: Int, bitsPerSample: [UInt16], sampleFormat: UInt16?, photometric: UInt16?,
                      pixelData: [UInt8], extra: [(UInt16, Value)] = []) -> HandMadeTIFF {
        var t = HandMadeTIFF()
        t.pixelData = pixelData
        t.entries = [
            (256, .long([UInt32(width)])),
            (257, .long([UInt32(height)])),
            (258, .short(bitsPerSample)),
            (259, .short([1])),
            (273, .long([0])),  // StripOffsets, patched in `bytes`
            (277, .short([UInt16(bitsPerSample.count)])),
            (278, .long([UInt32(height)])),
            (279, .long([UInt32(pixelData.count)])),
        ]
        if let photometric { t.entries.append((262, .short([photometric]))) }
        if let sampleFormat { t.entries.append((339, .short(Array(repeating: sampleFormat, count: bitsPerSample.count)))) }
        for (tag, value) in extra {
            t.entries.removeAll { $0.tag == tag }
            t.entries.append((tag, value))
        }
        t.entries.sort { $0.tag < $1.tag }
        return t
    }

    var bytes: [UInt8] {
        var out: [UInt8] = [0x49, 0x49, 42, 0]
        func u16(_ v: UInt16, into a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32, into a: inout [UInt8]) { for s in stride(from: 0, to: 32, by: 8) { a.append(UInt8((v >> UInt32(s)) & 0xFF)) } }
        u32(8, into: &out)
        let ifdSize = 2 + entries.count * 12 + 4
        var extraArea: [UInt8] = []
        let extraStart = 8 + ifdSize
        let pixelStart = UInt32(extraStart + entries.reduce(0) { $0 + Self.size($1.value) })
        var ifd: [UInt8] = []
        u16(UInt16(entries.count), into: &ifd)
        for (tag, value) in entries {
            u16(tag, into: &ifd)
            var payload: [UInt8] = []
            let type: UInt16, count: Int
            switch value {
            case .short(let v):
                type = 3; count = v.count
                v.forEach { u16($0, into: &payload) }
            case .long(let v):
                type = 4; count = v.count
                v.forEach { u32(tag == 273 ? pixelStart : $0, into: &payload) }
            case .rational(let v):
                type = 5; count = v.count
                v.forEach { u32($0.0, into: &payload); u32($0.1, into: &payload) }
            }
            u16(type, into: &ifd)
            u32(UInt32(count), into: &ifd)
            if payload.count <= 4 {
                ifd += payload + [UInt8](repeating: 0, count: 4 - payload.count)
            } else {
                u32(UInt32(extraStart + extraArea.count), into: &ifd)
                extraArea += payload
            }
        }
        u32(0, into: &ifd)
        return out + ifd + extraArea + pixelData
    }

    private static func size(_ value: Value) -> Int {
        switch value {
        case .short(let v): return v.count * 2 > 4 ? v.count * 2 : 0
        case .long(let v): return v.count * 4 > 4 ? v.count * 4 : 0
        case .rational(let v): return v.count * 8
        }
    }

    func write(to url: URL) throws { try Data(bytes).write(to: url) }
}

/// A fresh temporary directory per test, removed afterwards.
func makeTemporaryDirectory(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("landmarkkit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Little-endian bytes of 16-bit samples.
func littleEndianBytes(_ values: [UInt16]) -> [UInt8] { values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
