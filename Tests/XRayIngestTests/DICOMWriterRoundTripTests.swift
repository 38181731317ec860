import Foundation
import XCTest
@testable import XRayIngest

/// Write known pixels in every syntax DCMTK encodes, read them back.
final class DICOMWriterRoundTripTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dicom-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A ramp plus a deterministic pseudo-random texture, covering 0 and the top value.
    static func pattern(rows: Int, columns: Int, bits: Int) -> [UInt16] {
        let top = (1 << bits) - 1
        var state: UInt32 = 12345
        return (0..<(rows * columns)).map { i in
            state = state &* 1_103_515_245 &+ 12345
            let ramp = (i % columns) * top / max(columns - 1, 1)
            let noise = Int(state >> 16) % 64 - 32
            if i == 0 { return 0 }
            if i == 1 { return UInt16(top) }
            return UInt16(min(max(ramp + noise, 0), top))
        }
    }

    func testLosslessSyntaxesRoundTripExactly() throws {
        let rows = 37, columns = 53
        for syntax in DICOMTransferSyntax.allCases where syntax.isLossless {
            for bits in [8, 12, 16] {
                let values = Self.pattern(rows: rows, columns: columns, bits: bits)
                let uid = "2.25.\(bits)\(syntax.rawValue.count)424242"
                var input = DICOMWriter.Image(rows: rows, columns: columns, storedValues: values, bitsStored: bits,
                                              photometric: bits == 12 ? .monochrome1 : .monochrome2,
                                              pixelSpacing: (0.143, 0.15), imagerPixelSpacing: (0.175, 0.18),
                                              magnificationFactor: 1.2, rescale: (2, -1024),
                                              windows: [WindowPreset(center: 1500.5, width: 3000),
                                                        WindowPreset(center: 800, width: 900)],
                                              sopInstanceUID: uid)
                if bits == 16 { input.rescale = nil }
                let url = folder.appendingPathComponent("\(syntax)-\(bits).dcm")
                let written = try DICOMWriter(transferSyntax: syntax).write(input, to: url)
                XCTAssertEqual(written, uid)
                let file = try DICOMReader(options: .init(keepStoredValues: true)).read(url)
                let label = "\(syntax) \(bits) bits"
                XCTAssertEqual(file.storedValues, values.map(Int32.init), label)
                XCTAssertEqual(file.header.transferSyntaxUID, syntax.uid, label)
                XCTAssertEqual(file.header.bitsStored, bits, label)
                XCTAssertEqual(file.header.bitsAllocated, bits <= 8 ? 8 : 16, label)
                XCTAssertEqual(file.header.sopClassUID, "1.2.840.10008.5.1.4.1.1.1.1", label)
                XCTAssertEqual(file.header.sopInstanceUID, uid, label)
                XCTAssertEqual(file.image.modality, "DX", label)
                XCTAssertEqual(file.image.photometric, input.photometric, label)
                XCTAssertEqual(file.image.spacing, PixelSpacing(rowMM: 0.143, columnMM: 0.15, source: .pixelSpacing), label)
                XCTAssertEqual(file.image.windows, input.windows, label)
                XCTAssertEqual(file.image.pixels.count, values.count, label)
                let modality = zip(values, file.image.pixels).allSatisfy { v, m in
                    m == Float(input.rescale.map { Double(v) * $0.slope + $0.intercept } ?? Double(v))
                }
                XCTAssertTrue(modality, "\(label): Modality LUT output")
                XCTAssertEqual(file.storedSHA256, StoredValueHash.sha256Hex(values.map(Int32.init)), label)
            }
        }
    }

    func testImagerSpacingWithMagnificationWhenNoPixelSpacing() throws {
        let values = Self.pattern(rows: 8, columns: 8, bits: 12)
        let url = folder.appendingPathComponent("imager.dcm")
        try DICOMWriter().write(.init(rows: 8, columns: 8, storedValues: values, bitsStored: 12,
                                      imagerPixelSpacing: (0.2, 0.3), magnificationFactor: 1.25), to: url)
        let image = try DICOMReader().read(url).image
        XCTAssertEqual(image.spacing?.source, .imagerPixelSpacing)
        XCTAssertEqual(image.spacing?.rowMM ?? 0, 0.16, accuracy: 1e-12)
        XCTAssertEqual(image.spacing?.columnMM ?? 0, 0.24, accuracy: 1e-12)
        XCTAssertEqual(image.spacing?.magnificationFactor, 1.25)

        let bare = folder.appendingPathComponent("none.dcm")
        try DICOMWriter().write(.init(rows: 8, columns: 8, storedValues: values, bitsStored: 12), to: bare)
        XCTAssertNil(try DICOMReader().read(bare).image.spacing, "no spacing attributes must give nil, never 1 mm")
    }

    func testLossySyntaxesStayClose() throws {
        let rows = 64, columns = 64
        let cases: [(DICOMTransferSyntax, Int, Int32)] = [(.jpegBaseline, 8, 12), (.jpegExtended, 12, 200), (.jpegLSNearLossless, 16, 2)]
        for (syntax, bits, bound) in cases {
            let values = Self.pattern(rows: rows, columns: columns, bits: bits)
            let url = folder.appendingPathComponent("\(syntax).dcm")
            try DICOMWriter(transferSyntax: syntax, lossyQuality: 95)
                .write(.init(rows: rows, columns: columns, storedValues: values, bitsStored: bits), to: url)
            let file = try DICOMReader(options: .init(keepStoredValues: true)).read(url)
            XCTAssertEqual(file.header.transferSyntaxUID, syntax.uid)
            let worst = zip(values, file.storedValues!).map { abs(Int32($0) - $1) }.max()!
            XCTAssertLessThanOrEqual(worst, bound, "\(syntax): max |error| \(worst)")
        }
    }

    func testPatientIdentityOnlyWhenGivenAndNeverReadBack() throws {
        let values = Self.pattern(rows: 4, columns: 4, bits: 12)
        let named = folder.appendingPathComponent("named.dcm"), anonymous = folder.appendingPathComponent("anon.dcm")
        try DICOMWriter().write(.init(rows: 4, columns: 4, storedValues: values, bitsStored: 12,
                                      patientName: "DOE^JANE", patientID: "PID-98765"), to: named)
        try DICOMWriter().write(.init(rows: 4, columns: 4, storedValues: values, bitsStored: 12), to: anonymous)
        let namedBytes = try Data(contentsOf: named), anonymousBytes = try Data(contentsOf: anonymous)
        XCTAssertNotNil(namedBytes.range(of: Data("DOE^JANE".utf8)))
        XCTAssertNil(anonymousBytes.range(of: Data("DOE".utf8)))
        let file = try DICOMReader().read(named)
        let everything = "\(file.header) \(file.image.warnings) \(String(describing: file.image.modality)) \(file.image.windows)"
        XCTAssertFalse(everything.contains("DOE") || everything.contains("98765"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "atomic write must not leave temporary files")
    }

    func testWriterRejectsBadInputNamingTheFile() throws {
        let url = folder.appendingPathComponent("bad.dcm")
        XCTAssertThrowsError(try DICOMWriter().write(.init(rows: 2, columns: 2, storedValues: [0, 1, 2, 4096],
                                                           bitsStored: 12), to: url)) { error in
            XCTAssertEqual((error as? DICOMError)?.kind, .inconsistentBitDepth)
            XCTAssertTrue("\(error)".contains("bad.dcm"))
        }
        XCTAssertThrowsError(try DICOMWriter().write(.init(rows: 0, columns: 2, storedValues: []), to: url)) { error in
            XCTAssertEqual((error as? DICOMError)?.kind, .zeroSize)
        }
        XCTAssertThrowsError(try DICOMWriter(transferSyntax: .jpegBaseline)
            .write(.init(rows: 2, columns: 2, storedValues: [0, 1, 2, 3], bitsStored: 12), to: url)) { error in
            XCTAssertEqual((error as? DICOMError)?.kind, .inconsistentBitDepth)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }
}
