import Foundation
import XCTest
@testable import XRayIngest

/// The layouts ingest used to get wrong or refuse: RLE frames split over fragments, native
/// YBR_FULL_422, and 1-bit packed data in little and big endian. Each file is made here; each decodes bit-exact,
/// and damage gives a named error, never pixels.
final class PixelLayoutDecodingTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pixel-layouts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// Deterministic values in range for `bits`, both extremes included.
    static func values(_ count: Int, bits: Int, signed: Bool = false, seed: UInt32 = 1) -> [Int32] {
        let low = signed ? -(1 << (bits - 1)) : 0, span = 1 << bits
        var state = seed
        return (0..<count).map { i in
            state = state &* 1_664_525 &+ 1_013_904_223
            if i == 0 { return Int32(low) }
            if i == count - 1 { return Int32(low + span - 1) }
            return Int32(low + Int(state >> 8) % span)
        }
    }

    func decodeAllFrames(_ url: URL, frames: Int) throws -> [[Int32]] {
        try (0..<frames).map { f in try XCTUnwrap(DICOMReader(options: .init(frame: f, keepStoredValues: true)).read(url).storedValues) }
    }

    func frames(_ values: [Int32], count: Int) -> [[Int32]] {
        let n = values.count / count
        return (0..<count).map { Array(values[($0 * n)..<(($0 + 1) * n)]) }
    }

    /// Item tags (FFFE,E000) in the file: the offset table plus one per fragment.
    func itemCount(_ url: URL) throws -> Int {
        let bytes = [UInt8](try Data(contentsOf: url))
        return (0..<(bytes.count - 3)).filter { bytes[$0] == 0xFE && bytes[$0 + 1] == 0xFF && bytes[$0 + 2] == 0x00 && bytes[$0 + 3] == 0xE0 }.count
    }

    // MARK: RLE

    func testRLEFramesSplitOverFragmentsDecodeExactly() throws {
        struct Case { var photometric: DICOMPixelWriter.Photometric; var bits: Int; var signed: Bool; var frames: Int
                      var fragment: Int; var emptyTable: Bool }
        let cases = [
            // One frame, its 16-bit segments cut every 2 bytes (inside the RLE header too), with and without a table.
            Case(photometric: .monochrome2, bits: 16, signed: true, frames: 1, fragment: 2, emptyTable: true),
            Case(photometric: .monochrome2, bits: 12, signed: false, frames: 1, fragment: 64, emptyTable: false),
            // Several frames without an offset table: frames are found by their RLE headers.
            Case(photometric: .rgb, bits: 8, signed: false, frames: 3, fragment: 10, emptyTable: true),
            Case(photometric: .ybrFull, bits: 16, signed: false, frames: 2, fragment: 30, emptyTable: false),
        ]
        for (n, c) in cases.enumerated() {
            let rows = 9, columns = 13
            let values = Self.values(rows * columns * c.photometric.samplesPerPixel * c.frames, bits: c.bits, signed: c.signed, seed: UInt32(n + 1))
            let url = folder.appendingPathComponent("rle-\(n).dcm")
            let writer = DICOMPixelWriter(syntax: .rleLossless, maxFragmentBytes: c.fragment, emptyOffsetTable: c.emptyTable)
            try writer.write(.init(rows: rows, columns: columns, frames: c.frames, photometric: c.photometric,
                                   bitsAllocated: c.bits <= 8 ? 8 : 16, bitsStored: c.bits, isSigned: c.signed, storedValues: values), to: url)
            XCTAssertGreaterThan(try itemCount(url), 2 * c.frames + 1, "case \(n): frames really are split over fragments")
            XCTAssertEqual(try decodeAllFrames(url, frames: c.frames), frames(values, count: c.frames), "case \(n)")
        }
    }

    /// A damaged header is an error naming the problem, not an image.
    func testDamagedRLEIsANamedErrorNeverPixels() throws {
        let values = Self.values(8 * 10, bits: 16)
        let url = folder.appendingPathComponent("rle.dcm")
        try DICOMPixelWriter(syntax: .rleLossless).write(.init(rows: 8, columns: 10, bitsAllocated: 16, bitsStored: 16,
                                                               storedValues: values), to: url)
        let clean = [UInt8](try Data(contentsOf: url))
        // The RLE header of a 16-bit monochrome frame: two segments, the first at byte 64.
        let header: [UInt8] = [2, 0, 0, 0, 64, 0, 0, 0]
        let at = try XCTUnwrap((0..<(clean.count - 8)).first { Array(clean[$0..<($0 + 8)]) == header })
        func expectError(_ patch: (inout [UInt8]) -> Void, mentioning word: String, _ label: String) throws {
            var bytes = clean
            patch(&bytes)
            let bad = folder.appendingPathComponent("bad-\(label).dcm")
            try Data(bytes).write(to: bad)
            XCTAssertThrowsError(try DICOMReader().read(bad), label) { error in
                let e = error as? DICOMError
                XCTAssertEqual(e?.kind, .decodeFailed, label)
                XCTAssertTrue(e?.reason.contains(word) == true, "\(label): \(e?.reason ?? "\(error)")")
                XCTAssertEqual(e?.path, bad.path, label)
            }
        }
        try expectError({ $0[at] = 3 }, mentioning: "3 segments", "segment count")
        try expectError({ $0[at + 8] = 0xFF; $0[at + 9] = 0xFF }, mentioning: "segment 2 starts", "segment offset")
        // A segment that ends too early: the second starts right after the first byte of the first.
        try expectError({ $0[at + 8] = 66; $0[at + 9] = 0 }, mentioning: "RLE segment 1 ", "short segment")
    }

    // MARK: 1-bit packed data

    func testOneBitPackedDataLittleAndBigEndian() throws {
        let rows = 5, columns = 7, count = 3  // 35 pixels a frame: frames 1 and 2 start inside a byte
        var values = Self.values(rows * columns * count, bits: 1)
        // Known first bytes: of pixels 0…15 only 0, 8 and 9 set → bytes 0x01, 0x03 (bit 0 is the first pixel).
        for i in 0..<16 { values[i] = [0, 8, 9].contains(i) ? 1 : 0 }
        let byteCount = (rows * columns * count + 7) / 8 + ((rows * columns * count + 7) / 8) % 2
        let layouts: [(DICOMPixelWriter.Syntax, DICOMPixelWriter.PixelDataVR, [UInt8]?)] = [
            (.explicitVRLittleEndian, .ob, [0x01, 0x03]),
            (.implicitVRLittleEndian, .ow, [0x01, 0x03]),
            (.explicitVRBigEndian, .ob, [0x01, 0x03]),
            // OW in big endian is 16-bit words, each byte-swapped: the word 0x0301 is stored 03 01.
            (.explicitVRBigEndian, .ow, [0x03, 0x01]),
            (.deflatedExplicitVRLittleEndian, .ob, nil),
        ]
        for (syntax, vr, firstBytes) in layouts {
            let label = "\(syntax) \(vr)"
            let url = folder.appendingPathComponent("\(syntax)-\(vr).dcm")
            try DICOMPixelWriter(syntax: syntax, pixelDataVR: vr).write(
                .init(rows: rows, columns: columns, frames: count, bitsAllocated: 1, bitsStored: 1, storedValues: values), to: url)
            if let firstBytes {
                // Pixel Data is the last element: its value is the file's last bytes.
                let tail = [UInt8](try Data(contentsOf: url)).suffix(byteCount)
                XCTAssertEqual(Array(tail.prefix(2)), firstBytes, "\(label): the file holds the standard's bit order")
            }
            XCTAssertEqual(try decodeAllFrames(url, frames: count), frames(values, count: count), label)
            let file = try DICOMReader().read(url)
            XCTAssertEqual(file.header.bitsAllocated, 1, label)
            XCTAssertEqual(Set(file.image.pixels), [0, 1], label)
        }
    }

    // MARK: YBR_FULL_422

    func testUncompressedYBRFull422ExpandsEachPairsChroma() throws {
        let rows = 4, columns = 6, count = 2
        for (bits, syntax, vr) in [(8, DICOMPixelWriter.Syntax.explicitVRLittleEndian, DICOMPixelWriter.PixelDataVR.ob),
                                   (12, .explicitVRBigEndian, .ow), (8, .implicitVRLittleEndian, .ow)] {
            let label = "\(bits) bits \(syntax) \(vr)"
            var values = Self.values(rows * columns * 3 * count, bits: bits, seed: UInt32(bits))
            for p in stride(from: 0, to: rows * columns * count, by: 2) {
                values[3 * p + 4] = values[3 * p + 1]
                values[3 * p + 5] = values[3 * p + 2]
            }
            let url = folder.appendingPathComponent("ybr422-\(bits)-\(syntax).dcm")
            try DICOMPixelWriter(syntax: syntax, pixelDataVR: vr).write(
                .init(rows: rows, columns: columns, frames: count, photometric: .ybrFull422, bitsAllocated: bits <= 8 ? 8 : 16,
                      bitsStored: bits, storedValues: values), to: url)
            let bytes = [UInt8](try Data(contentsOf: url))
            // Native 4:2:2 holds two samples per pixel, not three.
            let width = bits <= 8 ? 1 : 2, dataBytes = rows * columns * 2 * width * count
            if syntax == .explicitVRLittleEndian {
                XCTAssertEqual(Array(bytes.suffix(dataBytes).prefix(4)), [values[0], values[3], values[1], values[2]].map { UInt8($0) },
                               "\(label): Y1 Y2 Cb Cr")
            }
            XCTAssertEqual(try decodeAllFrames(url, frames: count), frames(values, count: count), label)
            let file = try DICOMReader().read(url)
            XCTAssertEqual(file.image.originalPhotometric, "YBR_FULL_422", label)
            XCTAssertEqual(file.image.pixels, stride(from: 0, to: rows * columns * 3, by: 3).map { Float(values[$0]) }, "\(label): luminance is Y")
        }
    }

    /// Out of scope, and said so: 4:2:2 pairs cannot be formed across an odd row.
    /// The test writer refuses JPEG-LS at 9 to 15 bits, where DCMTK's encoder is unsafe, instead of handing it over.
    func testJPEGLSAtNineToFifteenBitsIsRefusedByTheTestWriter() throws {
        let url = folder.appendingPathComponent("ls13.dcm")
        let image = DICOMPixelWriter.Image(rows: 7, columns: 5, frames: 1, photometric: .monochrome2, bitsAllocated: 16,
                                           bitsStored: 13, isSigned: false, planar: false, storedValues: Array(repeating: 100, count: 35))
        XCTAssertThrowsError(try DICOMPixelWriter(syntax: .jpegLSLossless).write(image, to: url)) { error in
            XCTAssertTrue("\(error)".contains("9 to 15 bits"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }

    func testYBRFull422WithOddColumnsIsANamedError() throws {
        let url = folder.appendingPathComponent("ybr422.dcm")
        try DICOMPixelWriter(syntax: .explicitVRLittleEndian).write(
            .init(rows: 2, columns: 6, photometric: .ybrFull422, bitsAllocated: 8, bitsStored: 8,
                  storedValues: [Int32](repeating: 7, count: 36)), to: url)
        var bytes = [UInt8](try Data(contentsOf: url))
        // Columns (0028,0011) US 6 → 5.
        let columns: [UInt8] = [0x28, 0x00, 0x11, 0x00, 0x55, 0x53, 0x02, 0x00, 0x06, 0x00]
        let at = try XCTUnwrap((0..<(bytes.count - 10)).first { Array(bytes[$0..<($0 + 10)]) == columns })
        bytes[at + 8] = 5
        try Data(bytes).write(to: url)
        XCTAssertThrowsError(try DICOMReader().read(url)) { error in
            XCTAssertEqual((error as? DICOMError)?.kind, .unsupported)
            XCTAssertTrue((error as? DICOMError)?.reason.contains("odd number of columns") == true, "\(error)")
        }
    }
}
