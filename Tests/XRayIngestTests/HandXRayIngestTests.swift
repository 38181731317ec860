import Dispatch
import Foundation
import XCTest
@testable import XRayIngest

/// The 112 hand radiographs of ../shared/data/hand-xray, checked against its manifest and README rules.
final class HandXRayIngestTests: XCTestCase {
    func testAllHandImagesDecodeAndFollowTheRecoveryRule() throws {
        let root = DICOMTestData.handXRay
        guard DICOMTestData.require(root) else { return }
        let manifest = try DICOMTestData.csv(root.appendingPathComponent("manifest.csv"))
        XCTAssertEqual(manifest.count, 112)
        let reader = DICOMReader(options: .init(keepStoredValues: true))
        let failures = ResultSlots<String>(count: manifest.count)
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            while let i = failures.claimNext() {
                failures.store(Self.check(manifest[i], root: root, reader: reader, checkWindow: i % 8 == 0), at: i)
            }
        }
        let problems = failures.values().filter { !$0.isEmpty }
        XCTAssertEqual(problems, [], problems.prefix(5).joined(separator: "\n"))
    }

    /// Returns "" when the file agrees with the manifest, else what differs.
    static func check(_ row: [String: String], root: URL, reader: DICOMReader, checkWindow: Bool) -> String {
        let id = row["image"]!
        let file: DICOMFile
        do { file = try reader.read(root.appendingPathComponent("images/\(id).dcm")) } catch { return "\(id): \(error)" }
        var problems: [String] = []
        func expect(_ ok: Bool, _ what: @autoclosure () -> String) { if !ok { problems.append("\(id): \(what())") } }
        let image = file.image
        expect(image.rows == Int(row["rows"]!) && image.columns == Int(row["cols"]!), "size \(image.rows)x\(image.columns)")
        expect(file.header.photometric == row["photometric"], "photometric \(file.header.photometric)")
        expect(image.photometric.rawValue == row["photometric"], "XRayImage photometric \(image.photometric)")
        expect(image.transferSyntaxUID == row["transfer_syntax_uid"], "transfer syntax \(image.transferSyntaxUID ?? "nil")")
        expect(image.modality == "DX" && file.header.bitsStored == 12, "modality/bits")
        let mm = Double(row["pixel_spacing_mm"]!)!
        expect(image.spacing == PixelSpacing(rowMM: mm, columnMM: mm, source: .pixelSpacing), "spacing \(String(describing: image.spacing))")
        let rescaled = row["rescale_slope"] == "2"
        let mono1 = image.photometric == .monochrome1
        let stored = file.storedValues!
        var lo = Float.infinity, hi = -Float.infinity, odd = 0, mismatch = 0
        for (s, m) in zip(stored, image.pixels) {
            let v = mono1 ? 4095 - m : m
            lo = min(lo, v)
            hi = max(hi, v)
            if rescaled {
                if Int(m) % 2 != 0 { odd += 1 }
                if m != Float(2 * s - 1024) { mismatch += 1 }
            } else if m != Float(s) {
                mismatch += 1
            }
        }
        expect(mismatch == 0, "\(mismatch) pixels differ from slope*stored+intercept")
        if rescaled {
            // m' = 2*round((m+1024)/2) - 1024 is m or m+1 and always even, so v lies in -1...4095.
            expect(odd == 0, "\(odd) odd values in a slope-2 file")
            expect(lo >= -1 && hi <= 4095, "rescaled v range \(lo)...\(hi)")
            expect(image.valueRange == Float(-1024)...Float(7166), "valueRange \(String(describing: image.valueRange))")
        } else {
            expect(lo >= 0 && hi <= 4095, "v range \(lo)...\(hi)")
            expect(image.valueRange == Float(0)...Float(4095), "valueRange \(String(describing: image.valueRange))")
        }
        expect(image.windows.count == 1 && image.windows.first?.explanation == "P1-P99", "window \(image.windows)")
        if checkWindow, let w = image.windows.first {
            // README: WC = (p1+p99)/2, WW = p99-p1 over m, numpy linear percentiles, rounded to 0.1.
            let sorted = image.pixels.sorted()
            func percentile(_ q: Double) -> Double {
                let pos = q / 100 * Double(sorted.count - 1)
                let i = Int(pos.rounded(.down)), f = pos - Double(i)
                return Double(sorted[i]) + f * (Double(sorted[min(i + 1, sorted.count - 1)]) - Double(sorted[i]))
            }
            let p1 = percentile(1), p99 = percentile(99)
            expect(abs(w.center - (p1 + p99) / 2) <= 0.051 && abs(w.width - (p99 - p1)) <= 0.051,
                   "window \(w.center)/\(w.width) vs percentiles \(p1)/\(p99)")
        }
        return problems.joined(separator: "; ")
    }
}
