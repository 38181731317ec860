import Foundation
import TestSupport
import XCTest
@testable import XRayIngest

/// Frames, bare data sets, LUT and spacing corner cases, and crafted bad files.
final class DICOMReaderEdgeCaseTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dicom-edge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func written(_ syntax: DICOMTransferSyntax = .explicitVRLittleEndian, name: String) throws -> (URL, [UInt16]) {
        let values = DICOMWriterRoundTripTests.pattern(rows: 16, columns: 16, bits: 12)
        let url = folder.appendingPathComponent(name)
        try DICOMWriter(transferSyntax: syntax).write(.init(rows: 16, columns: 16, storedValues: values, bitsStored: 12), to: url)
        return (url, values)
    }

    func testAnyFrameOnRequestAndOutOfRange() throws {
        let root = DICOMTestData.conformance
        guard DICOMTestData.require(root) else { return }
        for name in ["pylibjpeg-data/LittleEndianExplicit/emri_small.dcm", "pylibjpeg-data/RLELossless/emri_small_RLE.dcm",
                     "pylibjpeg-data/JPEGLSLossless/emri_small_jpeg_ls_lossless.dcm", "pydicom-data/emri_small_big_endian.dcm"] {
            let url = root.appendingPathComponent(name)
            let frames = (0..<10).map { try? DICOMReader(options: .init(frame: $0, keepStoredValues: true)).read(url) }
            XCTAssertTrue(frames.allSatisfy { $0 != nil }, name)
            XCTAssertEqual(frames[9]?.image.frameIndex, 9)
            XCTAssertEqual(frames[9]?.image.frameCount, 10)
            XCTAssertNotEqual(frames[0]?.storedSHA256, frames[9]?.storedSHA256, "\(name): frames must differ")
            // All four encodings hold the same pixels: frame 9 must agree across syntaxes.
            let reference = try DICOMReader(options: .init(frame: 9)).read(
                root.appendingPathComponent("pylibjpeg-data/LittleEndianExplicit/emri_small.dcm"))
            XCTAssertEqual(frames[9]?.storedSHA256, reference.storedSHA256, name)
            XCTAssertThrowsError(try DICOMReader(options: .init(frame: 10)).read(url)) { error in
                XCTAssertEqual((error as? DICOMError)?.kind, .frameOutOfRange, name)
            }
        }
        // Multi-frame JPEG baseline: frame 29 of 30.
        let ybr = try DICOMReader(options: .init(frame: 29)).read(root.appendingPathComponent("pydicom-wheel/examples_ybr_color.dcm"))
        XCTAssertEqual(ybr.image.frameIndex, 29)
        XCTAssertEqual(ybr.image.originalPhotometric, "YBR_FULL_422")
    }

    func testBareImplicitDatasetWithoutMetaHeader() throws {
        let (url, values) = try written(.implicitVRLittleEndian, name: "with-meta.dcm")
        let data = try Data(contentsOf: url)
        // Skip preamble, "DICM" and every group-0002 element (explicit VR LE in the meta header).
        var at = 132
        while at + 8 <= data.count, data[at] == 0x02, data[at + 1] == 0x00 {
            let vr = String(decoding: data[(at + 4)..<(at + 6)], as: UTF8.self)
            if ["OB", "OW", "UN", "SQ", "UT", "OF"].contains(vr) {
                let length = Int(data[at + 8]) | Int(data[at + 9]) << 8 | Int(data[at + 10]) << 16 | Int(data[at + 11]) << 24
                at += 12 + length
            } else {
                at += 8 + (Int(data[at + 6]) | Int(data[at + 7]) << 8)
            }
        }
        let bare = folder.appendingPathComponent("bare")
        try data[at...].write(to: bare)
        XCTAssertTrue(DICOMReader.isDICOM(bare))
        let file = try DICOMReader(options: .init(keepStoredValues: true)).read(bare)
        XCTAssertFalse(file.header.hasMetaHeader)
        XCTAssertEqual(file.header.transferSyntaxUID, DICOMTransferSyntax.implicitVRLittleEndian.uid)
        XCTAssertEqual(file.storedValues, values.map(Int32.init))
    }

    func testModalityAndVOILookupTables() throws {
        let root = DICOMTestData.conformance
        guard DICOMTestData.require(root) else { return }
        let mlut = try DICOMReader(options: .init(keepStoredValues: true)).read(root.appendingPathComponent("pydicom-data/mlut_18.dcm"))
        XCTAssertEqual(mlut.image.valueRange?.upperBound, 65535)
        // The LUT starts at stored value -2048: the smallest stored value must map to the first entries' region.
        XCTAssertTrue(mlut.image.warnings.isEmpty, "\(mlut.image.warnings)")
        let vlut = try DICOMReader().read(root.appendingPathComponent("pydicom-data/vlut_04.dcm"))
        XCTAssertEqual(vlut.image.voiLUT?.entries.count, 256)
        XCTAssertEqual(vlut.image.voiLUT?.bitsPerEntry, 16)
        let empty = try DICOMReader().read(root.appendingPathComponent("pylibjpeg-data/JPEGLosslessSV1/JPEGLosslessP14SV1_1s_1f_u_16_16.dcm"))
        XCTAssertNil(empty.image.voiLUT)
        XCTAssertTrue(empty.image.warnings.contains { $0.contains("Modality LUT Sequence ignored") }, "\(empty.image.warnings)")
        XCTAssertEqual(empty.image.valueRange, Float(0)...Float(65535))
    }

    func testSpacingRules() throws {
        let root = DICOMTestData.conformance
        guard DICOMTestData.require(root) else { return }
        let zero = try DICOMReader().read(root.appendingPathComponent("pydicom-data/RG1_J2KI.dcm")).image
        XCTAssertNil(zero.spacing, "PixelSpacing 0\\0 is unusable and there is no ImagerPixelSpacing")
        XCTAssertTrue(zero.warnings.contains { $0.contains("PixelSpacing") })
        let dx = try DICOMReader().read(root.appendingPathComponent("pylibjpeg-data/JPEG2000Lossless/966_fixed.dcm")).image
        XCTAssertEqual(dx.spacing, PixelSpacing(rowMM: 0.16, columnMM: 0.16, source: .pixelSpacing))
        XCTAssertEqual(dx.photometric, .monochrome1, "MONOCHROME1 is reported, not inverted")
        XCTAssertEqual(dx.windows, [WindowPreset(center: 2048, width: 4096)])

        var warnings: [String] = []
        let imager = SpacingResolution.resolve(pixelSpacing: [0, 0], imagerPixelSpacing: [0.2, 0.1], magnification: 2, warnings: &warnings)
        XCTAssertEqual(imager, PixelSpacing(rowMM: 0.1, columnMM: 0.05, source: .imagerPixelSpacing, magnificationFactor: 2))
        XCTAssertNil(SpacingResolution.resolve(pixelSpacing: [], imagerPixelSpacing: [], magnification: nil, warnings: &warnings))
    }

    func testCraftedBadFilesGiveTheirErrorKinds() throws {
        let (url, _) = try written(name: "good.dcm")
        let data = try Data(contentsOf: url)

        // Bits Stored 17 with Bits Allocated 16: (0028,0101) US 2 → value.
        var bits = data
        let bitsTag = Data([0x28, 0x00, 0x01, 0x01, 0x55, 0x53, 0x02, 0x00])
        let r = try XCTUnwrap(bits.range(of: bitsTag))
        bits[r.upperBound] = 17
        bits[r.upperBound + 1] = 0
        try assertError(bits, name: "bits17.dcm", kind: .inconsistentBitDepth)

        // No Pixel Data: cut the file right before (7FE0,0010).
        let pixelTag = try XCTUnwrap(data.range(of: Data([0xE0, 0x7F, 0x10, 0x00])))
        try assertError(data[..<pixelTag.lowerBound], name: "nopixels.dcm", kind: .noPixelData)

        // Unknown transfer syntax of the same length in the meta header.
        var syntax = data
        let uid = Data("1.2.840.10008.1.2.1\0".utf8)
        let u = try XCTUnwrap(syntax.range(of: uid))
        syntax.replaceSubrange(u, with: Data("1.2.840.10008.1.2.9\0".utf8))
        try assertError(syntax, name: "syntax.dcm", kind: .unsupportedTransferSyntax)

        // Cut inside Pixel Data, and an empty file.
        try assertError(data[..<(data.count - 100)], name: "short.dcm", kind: .truncated)
        try assertError(Data(), name: "empty.dcm", kind: .notDICOM)
        XCTAssertThrowsError(try DICOMReader().read(folder.appendingPathComponent("missing.dcm"))) { error in
            XCTAssertEqual((error as? DICOMError)?.kind, .unreadable)
        }
    }

    private func assertError(_ bytes: Data, name: String, kind: DICOMError.Kind, line: UInt = #line) throws {
        let url = folder.appendingPathComponent(name)
        try bytes.write(to: url)
        XCTAssertThrowsError(try DICOMReader().read(url), line: line) { error in
            XCTAssertEqual((error as? DICOMError)?.kind, kind, "\(error)", line: line)
            XCTAssertTrue("\(error)".contains(name), "error must name the file: \(error)", line: line)
        }
    }
}
