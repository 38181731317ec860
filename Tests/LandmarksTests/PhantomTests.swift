import XCTest
import XRayIngest
@testable import Landmarks

final class PhantomTests: XCTestCase {
    func small(_ configure: (inout Phantom.Options) -> Void = { _ in }) -> Phantom {
        var o = Phantom.Options(rows: 192, columns: 144)
        configure(&o)
        return Phantom(options: o)
    }

    /// Bone-bright values whatever the photometric interpretation.
    func presentation(_ im: PhantomImage) -> [Float] {
        let maxV = Float((1 << im.info.bitsStored) - 1)
        return im.stored.map { im.info.photometric == .monochrome1 ? maxV - Float($0) : Float($0) }
    }

    func mean(_ px: [Float], width: Int, at p: LandmarkPoint, radius: Int) -> Float {
        var s: Float = 0, n: Float = 0
        for y in (Int(p.y) - radius)...(Int(p.y) + radius) { for x in (Int(p.x) - radius)...(Int(p.x) + radius) {
            guard x >= 0, y >= 0, x < width, y < px.count / width else { continue }
            s += px[y * width + x]; n += 1
        } }
        return n > 0 ? s / n : 0
    }

    func testDeterministicBySeedAndVariedByIndex() {
        let p = small()
        let a = p.render(index: 3, seed: 11), b = p.render(index: 3, seed: 11), c = p.render(index: 4, seed: 11)
        XCTAssertEqual(a.stored, b.stored)
        XCTAssertEqual(a.landmarks, b.landmarks)
        XCTAssertEqual(a.info, b.info)
        XCTAssertNotEqual(a.stored, c.stored)
        XCTAssertNotEqual(a.info.spacingMM, c.info.spacingMM)
        XCTAssertEqual(a.landmarks.count, 36)
    }

    func testVertebralBodiesAreBrighterThanDiscsAndLandmarksAreTheirCorners() {
        let p = small { $0.cutOffProbability = 0; $0.metalProbability = 0; $0.lowDoseProbability = 0; $0.overlapProbability = 0 }
        for i in 0..<2 {
            let im = p.render(index: i, seed: 5)
            XCTAssertTrue(im.landmarks.allSatisfy { $0 != nil }, "an ordinary phantom shows the whole spine")
            let px = presentation(im)
            let lm = im.landmarks.map { $0! }
            var bodySum: Float = 0, discSum: Float = 0
            for v in 0..<9 {
                let c = (0..<4).map { lm[4 * v + $0] }
                let centre = LandmarkPoint(x: c.map(\.x).reduce(0, +) / 4, y: c.map(\.y).reduce(0, +) / 4)
                let body = mean(px, width: 144, at: centre, radius: 2)
                // One body depth in front of the body: abdomen only.
                let depth = c[1].x - c[0].x
                let front = LandmarkPoint(x: centre.x - depth, y: centre.y)
                XCTAssertGreaterThan(body, mean(px, width: 144, at: front, radius: 2), "image \(i) body \(v) vs soft tissue")
                // Corner order: anterior (smaller x, the patient faces left) before posterior, superior before inferior.
                XCTAssertLessThan(c[0].x, c[1].x); XCTAssertLessThan(c[3].x, c[2].x)
                XCTAssertLessThan(c[0].y, c[3].y); XCTAssertLessThan(c[1].y, c[2].y)
                guard v < 8 else { continue }
                // Disc centre: between this body's inferior corners and the next body's superior ones.
                let d = [lm[4 * v + 2], lm[4 * v + 3], lm[4 * v + 4], lm[4 * v + 5]]
                let disc = LandmarkPoint(x: d.map(\.x).reduce(0, +) / 4, y: d.map(\.y).reduce(0, +) / 4)
                bodySum += body; discSum += mean(px, width: 144, at: disc, radius: 0)
            }
            // Discs are thin at this size (2–5 px), so compare the spine as a whole: bodies brighter than disc spaces.
            XCTAssertGreaterThan(bodySum, discSum, "image \(i)")
            // Each next body lies below the previous one.
            for v in 0..<8 { XCTAssertLessThan(lm[4 * v].y, lm[4 * v + 4].y) }
        }
    }

    func testHardCasesAreRecordedAndCutOffCornersAreAbsent() {
        let p = small { $0.cutOffProbability = 1; $0.metalProbability = 1; $0.lowDoseProbability = 1; $0.overlapProbability = 1; $0.strongCurvatureProbability = 1 }
        var absentSeen = 0
        for i in 0..<3 {
            let im = p.render(index: i, seed: 2)
            XCTAssertEqual(Set(im.info.hardCases), Set(PhantomHardCase.allCases))
            let names = Phantom.landmarkNames
            let absent = im.landmarks.enumerated().filter { $0.element == nil }.map { names[$0.offset] }
            XCTAssertEqual(absent, im.info.absentLandmarks)
            absentSeen += absent.count
            for p in im.landmarks.compactMap({ $0 }) {
                XCTAssertTrue(p.x >= -0.5 && p.y >= -0.5 && p.x <= 143.5 && p.y <= 191.5)
            }
            XCTAssertLessThan(im.info.photonsPerPixel, 300)
            XCTAssertGreaterThanOrEqual(im.info.lordosisDeg, 45)
        }
        XCTAssertGreaterThan(absentSeen, 0, "a cut-off field of view loses corners")
        // Metal saturates: the brightest values belong to the implant and reach the top of the range.
        let im = p.render(index: 0, seed: 2)
        let px = presentation(im)
        XCTAssertGreaterThan(px.max()!, 0.9 * Float((1 << im.info.bitsStored) - 1))
    }

    func testWrittenFolderLoadsAsADatasetWithTheRightSpacingAndPixels() throws {
        let root = try TestPaths.tempDir()
        let p = small { $0.cutOffProbability = 0.5 }
        final class Counter: @unchecked Sendable { var calls = 0; var last = 0; let lock = NSLock() }
        let counter = Counter()
        let summary = try p.writeDataset(to: root, count: 6, seed: 21, progress: { n in
            counter.lock.lock(); counter.calls += 1; counter.last = max(counter.last, n); counter.lock.unlock()
        })
        XCTAssertEqual(counter.calls, 6); XCTAssertEqual(counter.last, 6)
        XCTAssertEqual(summary.count, 6)
        XCTAssertEqual(summary.landmarksPresent + summary.landmarksAbsent, 6 * 36)
        // The folder is a canonical dataset: load it through the real DICOM reader with the default schema.
        var o = DatasetLoadOptions(); o.policy = .strict
        let ds = try LandmarkDataset.load(root: root, source: IngestImageSource(), options: o)
        XCTAssertEqual(ds.schema.name, "spine-lateral-36")
        XCTAssertEqual(ds.images.count, 6)
        XCTAssertEqual(ds.landmarkCount, summary.landmarksPresent)
        XCTAssertEqual(ds.splits.values.map(\.count).reduce(0, +), 6)
        struct Sidecar: Decodable { var images: [PhantomCase] }
        let side = try JSONDecoder().decode(Sidecar.self, from: Data(contentsOf: root.appendingPathComponent("phantom.json")))
        XCTAssertEqual(side.images.count, 6)
        for c in side.images {
            let im = ds.images.first { $0.id == c.id }!
            XCTAssertEqual(im.spacing?.rowMM ?? 0, c.spacingMM, accuracy: 1e-6, c.id)
            XCTAssertEqual(im.spacing?.source, c.magnificationFactor == nil ? .pixelSpacing : .imagerPixelSpacing, c.id)
            let rendered = p.render(index: Int(c.id.dropFirst(8))!, seed: 21)
            XCTAssertEqual(im.landmarks.map { $0.map { ($0.x * 1e4).rounded() } }, rendered.landmarks.map { $0.map { ($0.x * 1e4).rounded() } })
            // Lossless syntaxes: the reader gives back exactly the stored values.
            let read = try DICOMReader().read(root.appendingPathComponent("images/\(c.id).dcm")).image
            XCTAssertEqual(read.pixels, rendered.stored.map(Float.init), c.id)
            XCTAssertEqual(read.photometric, c.photometric)
            XCTAssertEqual(read.transferSyntaxUID, c.transferSyntaxUID)
            // Same seed, same instance UID: a regenerated set is recognisably the same data.
            XCTAssertEqual(read.sopInstanceUID, DeterministicUID.make("LandmarkKit phantom \(c.seed) \(c.id)"))
        }
        let csv = try String(contentsOf: root.appendingPathComponent("landmarks.csv"), encoding: .utf8)
        XCTAssertFalse(csv.contains("HAND") || csv.lowercased().contains("patient"))
    }

    func testDeterministicUIDsAreValidAndDistinct() {
        let a = DeterministicUID.make("x 1"), b = DeterministicUID.make("x 1"), c = DeterministicUID.make("x 2")
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        for u in [a, c] {
            XCTAssertTrue(u.hasPrefix("2.25."))
            XCTAssertLessThanOrEqual(u.count, 64)
            XCTAssertTrue(u.dropFirst(5).allSatisfy(\.isNumber))
            XCTAssertFalse(u.dropFirst(5).hasPrefix("0"), "no leading zero in a UID component")
            XCTAssertGreaterThan(u.count, 30)
        }
    }
}
