import Foundation
import TestSupport
import XCTest
@testable import XRayIngest

/// Damaged copies of real files must give a DICOMError or an image, never a crash.
final class CorruptInputTests: XCTestCase {
    func testTruncatedAndBitFlippedFilesNeverCrash() throws {
        let root = DICOMTestData.conformance
        guard DICOMTestData.require(root) else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("corrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sources = ["pydicom-wheel/CT_small.dcm", "pydicom-wheel/MR_small_RLE.dcm", "pydicom-wheel/MR_small_jpeg_ls_lossless.dcm",
                       "pydicom-wheel/MR_small_jp2klossless.dcm", "pydicom-data/JPGLosslessP14SV1_1s_1f_8b.dcm",
                       "pydicom-wheel/SC_rgb_jpeg_lossy_gdcm.dcm", "pydicom-data/HTJ2K_08_RGB.dcm", "pydicom-data/mlut_18.dcm",
                       "pydicom-wheel/image_dfl.dcm", "pylibjpeg-data/JPEGExtended/JPEGExtended_1s_1f_u_16_12.dcm"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(max(n, 1)))
        }
        var failures = 0, decoded = 0
        for name in sources {
            let original = try Data(contentsOf: root.appendingPathComponent(name))
            var variants: [Data] = [0.1, 0.5, 0.9, 0.999].map { original.prefix(Int(Double(original.count) * $0)) }
            for _ in 0..<12 {
                var damaged = original
                for _ in 0..<(1 + random(8)) { damaged[random(damaged.count)] = UInt8(random(256)) }
                variants.append(damaged)
            }
            for (i, bytes) in variants.enumerated() {
                let url = folder.appendingPathComponent("v\(i)-\(URL(fileURLWithPath: name).lastPathComponent)")
                try bytes.write(to: url)
                do {
                    let file = try DICOMReader().read(url)
                    XCTAssertEqual(file.image.pixels.count, file.image.rows * file.image.columns)
                    decoded += 1
                } catch let error as DICOMError {
                    XCTAssertEqual(error.path, url.path)
                    failures += 1
                }
            }
        }
        XCTAssertGreaterThan(failures, 10, "truncations must be reported")
        XCTAssertGreaterThan(decoded + failures, 150)
    }
}
