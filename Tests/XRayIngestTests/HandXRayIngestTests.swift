import Foundation
import ParallelWork
import TestSupport
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
        WorkerPool.shared.forEach(2) { _ in
            while let i = failures.claimNext() {
                failures.store(Self.check(manifest[i], root: root, reader: reader), at: i)
            }
        }
        let problems = failures.values().filter { !$0.isEmpty }
        XCTAssertEqual(problems, [], problems.prefix(5).joined(separator: "\n"))
    }

    /// Returns "" when the file agrees with the manifest, else what differs.
    static func check(_ row: [String: String], root: URL, reader: DICOMReader) -> String {
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
        // m values are integers here, so a histogram gives exact percentiles without a slow debug sort.
        var histogram = [Int](repeating: 0, count: 8192 + 1024)
        stored.withUnsafeBufferPointer { s in
            image.pixels.withUnsafeBufferPointer { p in
                histogram.withUnsafeMutableBufferPointer { h in
                    for i in 0..<s.count {
                        let m = p[i]
                        let v = mono1 ? 4095 - m : m
                        if v < lo { lo = v }
                        if v > hi { hi = v }
                        let expected = rescaled ? Float(2 * s[i] - 1024) : Float(s[i])
                        if m != expected { mismatch += 1 }
                        if rescaled && Int(m) % 2 != 0 { odd += 1 }
                        let bin = Int(m) + 1024
                        if bin >= 0 && bin < h.count { h[bin] += 1 }
                    }
                }
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
        if let w = image.windows.first {
            // README: WC = (p1+p99)/2, WW = p99-p1 over m, numpy linear percentiles, rounded to 0.1.
            let n = stored.count
            func kth(_ k: Int) -> Double {
                var seen = 0
                for (bin, count) in histogram.enumerated() where count > 0 {
                    seen += count
                    if seen > k { return Double(bin - 1024) }
                }
                return .nan
            }
            func percentile(_ q: Double) -> Double {
                let pos = q / 100 * Double(n - 1)
                let i = Int(pos.rounded(.down)), f = pos - Double(i)
                let a = kth(i), b = kth(min(i + 1, n - 1))
                return a + f * (b - a)
            }
            let p1 = percentile(1), p99 = percentile(99)
            expect(abs(w.center - (p1 + p99) / 2) <= 0.051 && abs(w.width - (p99 - p1)) <= 0.051,
                   "window \(w.center)/\(w.width) vs percentiles \(p1)/\(p99)")
        }
        return problems.joined(separator: "; ")
    }
}
