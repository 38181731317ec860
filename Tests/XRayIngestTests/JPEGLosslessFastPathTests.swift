import CDicomBridge
import Foundation
import XCTest
@testable import XRayIngest

/// The built-in JPEG lossless decoder must give exactly DCMTK's (IJG's) stored values.
final class JPEGLosslessFastPathTests: XCTestCase {
    func testFastPathMatchesDCMTKOnConformanceAndHandFiles() throws {
        let conformance = DICOMTestData.conformance, hand = DICOMTestData.handXRay
        guard DICOMTestData.require(conformance), DICOMTestData.require(hand) else { return }
        var files = [
            "pylibjpeg-data/JPEGLosslessSV1/JPEG-LL.dcm", "pydicom-data/JPGLosslessP14SV1_1s_1f_8b.dcm",
            "pylibjpeg-data/JPEGLosslessSV1/JPEGLosslessP14SV1_1s_1f_u_16_16.dcm",
            "pylibjpeg-data/JPEGLossless/JPEGLossless_1s_1f_u_16_12.dcm",
            "pylibjpeg-data/JPEGLossless/JPEGLossless_1s_1f_i_16_16_bad.dcm",
        ].map { conformance.appendingPathComponent($0) }
        let manifest = try DICOMTestData.csv(hand.appendingPathComponent("manifest.csv"))
        files += manifest.filter { $0["transfer_syntax_uid"] == "1.2.840.10008.1.2.4.70" }.prefix(6)
            .map { hand.appendingPathComponent("images/\($0["image"]!).dcm") }
        for url in files {
            let handle = try DICOMHandle(path: url.path)
            let fast = try handle.decodeFrame(0, flags: LDK_DECODE_FAST_ONLY)
            let reference = try DICOMHandle(path: url.path).decodeFrame(0, flags: LDK_DECODE_DCMTK_ONLY)
            XCTAssertEqual(fast.values.count, reference.values.count, url.lastPathComponent)
            XCTAssertTrue(fast.values == reference.values, "\(url.lastPathComponent): fast path differs from DCMTK")
        }
    }

    func testCorruptStreamFallsBackToDCMTKError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jll-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let values = DICOMWriterRoundTripTests.pattern(rows: 32, columns: 32, bits: 12)
        let url = folder.appendingPathComponent("jll.dcm")
        try DICOMWriter(transferSyntax: .jpegLosslessSV1).write(.init(rows: 32, columns: 32, storedValues: values, bitsStored: 12), to: url)
        XCTAssertEqual(try DICOMHandle(path: url.path).decodeFrame(0, flags: LDK_DECODE_FAST_ONLY).values, values.map(Int32.init))
        // Cut the entropy-coded data short: the fast path must refuse rather than invent pixels.
        var data = try Data(contentsOf: url)
        let sos = try XCTUnwrap(data.range(of: Data([0xFF, 0xDA]), options: .backwards))
        for i in (sos.upperBound + 20)..<(data.count - 20) { data[i] = 0xFF }
        try data.write(to: url)
        XCTAssertThrowsError(try DICOMHandle(path: url.path).decodeFrame(0, flags: LDK_DECODE_FAST_ONLY))
        XCTAssertThrowsError(try DICOMReader().read(url)) { error in
            XCTAssertEqual((error as? DICOMError)?.kind, .decodeFailed, "\(error)")
        }
    }
}
