import FileOutput
import Foundation
import ParallelWork
import XRayIngest

/// Writes one phantom image to a file; DICOM by default, replaceable so tests and other formats can plug in.
public typealias PhantomImageWriter = @Sendable (PhantomImage, URL) throws -> Void

/// What `Phantom.writeDataset` produced.
public struct PhantomDatasetSummary: Sendable, Codable, Equatable {
    public var root: String
    public var count: Int
    public var seed: UInt64
    public var landmarksPresent: Int
    public var landmarksAbsent: Int
    /// Images per hard case.
    public var hardCases: [String: Int]
    public var monochrome1: Int
    public var transferSyntaxes: [String: Int]
    public var bitsStored: [String: Int]
    public var seconds: Double

    public init(root: String, count: Int, seed: UInt64, landmarksPresent: Int, landmarksAbsent: Int, hardCases: [String: Int],
                monochrome1: Int, transferSyntaxes: [String: Int], bitsStored: [String: Int], seconds: Double) {
        self.root = root; self.count = count; self.seed = seed; self.landmarksPresent = landmarksPresent
        self.landmarksAbsent = landmarksAbsent; self.hardCases = hardCases; self.monochrome1 = monochrome1
        self.transferSyntaxes = transferSyntaxes; self.bitsStored = bitsStored; self.seconds = seconds
    }
}

extension Phantom {
    /// The whole set in one call: `count` images of `rows × columns` from `seed`, DICOM, default hard-case mix.
    @discardableResult
    public static func writeDataset(to root: URL, count: Int, seed: UInt64, rows: Int = 512, columns: Int = 384,
                                    progress: (@Sendable (Int) -> Void)? = nil) throws -> PhantomDatasetSummary {
        try Phantom(options: Options(rows: rows, columns: columns)).writeDataset(to: root, count: count, seed: seed, progress: progress)
    }

    /// Writes DX DICOM through XRayIngest's writer: the transfer syntax, bit depth, photometric and spacing
    /// attribute chosen for the image. No patient name or ID is written.
    public static let dicomWriter: PhantomImageWriter = { image, url in
        let info = image.info
        guard let syntax = DICOMTransferSyntax(rawValue: info.transferSyntaxUID) else {
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "unknown transfer syntax \(info.transferSyntaxUID)"])
        }
        let s = (row: info.spacingMM, column: info.spacingMM)
        // ImagerPixelSpacing is at the detector: the patient-plane spacing times the magnification.
        let imager = info.magnificationFactor.map { (row: s.row * $0, column: s.column * $0) }
        let dx = DICOMWriter.Image(rows: info.rows, columns: info.columns, storedValues: image.stored, bitsStored: info.bitsStored,
                                   photometric: info.photometric, pixelSpacing: imager == nil ? s : nil,
                                   imagerPixelSpacing: imager, magnificationFactor: info.magnificationFactor,
                                   windows: [WindowPreset(center: image.windowCenter, width: image.windowWidth, explanation: "P1-P99")],
                                   sopInstanceUID: DeterministicUID.make("LandmarkKit phantom \(info.seed) \(info.id)"))
        try DICOMWriter(transferSyntax: syntax).write(dx, to: url)
    }

    /// Writes a complete X-ray folder (docs/CONVENTIONS.md, X-ray folders) of `count` phantoms from `seed`:
    /// images/phantom-NNNNN.dcm, landmarks.csv (with a present column), splits/{train,valid,test}.txt (80/10/10, seeded),
    /// dataset.yaml, and the sidecar phantom.json listing every image's hard cases, absent landmarks and storage choices.
    /// `progress` is called with the number of images finished so far (from worker threads), for a progress bar.
    @discardableResult
    public func writeDataset(to root: URL, count: Int, seed: UInt64, writer: PhantomImageWriter = Phantom.dicomWriter,
                             progress: (@Sendable (Int) -> Void)? = nil) throws -> PhantomDatasetSummary {
        let start = Date()
        let fm = FileManager.default
        let images = root.appendingPathComponent("images", isDirectory: true)
        try fm.createDirectory(at: images, withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("splits"), withIntermediateDirectories: true)

        final class Results: @unchecked Sendable {
            var cases: [PhantomCase?]
            var landmarks: [[LandmarkPoint?]]
            var errors: [Error?]
            var done = 0
            let lock = NSLock()
            init(_ n: Int) { cases = Array(repeating: nil, count: n); landmarks = Array(repeating: [], count: n); errors = Array(repeating: nil, count: n) }
        }
        let results = Results(count)
        let phantom = self
        WorkerPool.shared.forEach(count) { i in
            let im = phantom.render(index: i, seed: seed)
            let error: Error?
            do { try writer(im, images.appendingPathComponent("\(im.info.id).dcm")); error = nil } catch let e { error = e }
            results.lock.lock()
            results.cases[i] = im.info; results.landmarks[i] = im.landmarks; results.errors[i] = error
            results.done += 1
            let done = results.done
            results.lock.unlock()
            progress?(done)
        }
        if let (i, e) = results.errors.enumerated().first(where: { $0.element != nil }) {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "phantom \(i): \(e!)"])
        }
        let cases = results.cases.map { $0! }
        let names = Phantom.landmarkNames
        var csv = "image,landmark,x,y,present\n"
        for (c, lms) in zip(cases, results.landmarks) {
            for (k, p) in lms.enumerated() {
                if let p { csv += "\(c.id),\(names[k]),\(String(format: "%.4f", p.x)),\(String(format: "%.4f", p.y)),1\n" } else { csv += "\(c.id),\(names[k]),,,0\n" }
            }
        }
        try AtomicFile.write(csv, to: root.appendingPathComponent("landmarks.csv"))

        var ids = cases.map(\.id)
        var rng = SeededRandom.derive(seed, 0x5B117)
        for i in stride(from: ids.count - 1, to: 0, by: -1) { ids.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let nTrain = Int((Double(count) * 0.8).rounded()), nValid = min(Int((Double(count) * 0.1).rounded()), count - nTrain)
        let parts: [(String, ArraySlice<String>)] = [("train", ids[0..<nTrain]), ("valid", ids[nTrain..<(nTrain + nValid)]), ("test", ids[(nTrain + nValid)...])]
        for (name, list) in parts {
            try AtomicFile.write(list.sorted().joined(separator: "\n") + (list.isEmpty ? "" : "\n"),
                                 to: root.appendingPathComponent("splits/\(name).txt"))
        }
        try AtomicFile.write("""
        # Synthetic lateral spine radiographs written by LandmarkKit's Phantom (seed \(seed)).
        schema: \(Phantom.schemaName)
        annotations: {format: csv, path: landmarks.csv}

        """, to: root.appendingPathComponent("dataset.yaml"))

        var summary = PhantomDatasetSummary(root: root.path, count: count, seed: seed, landmarksPresent: 0, landmarksAbsent: 0,
                                            hardCases: [:], monochrome1: 0, transferSyntaxes: [:], bitsStored: [:], seconds: 0)
        for (c, lms) in zip(cases, results.landmarks) {
            summary.landmarksPresent += lms.filter { $0 != nil }.count
            summary.landmarksAbsent += lms.filter { $0 == nil }.count
            for h in c.hardCases { summary.hardCases[h.rawValue, default: 0] += 1 }
            if c.photometric == .monochrome1 { summary.monochrome1 += 1 }
            summary.transferSyntaxes[c.transferSyntaxUID, default: 0] += 1
            summary.bitsStored["\(c.bitsStored)", default: 0] += 1
        }
        summary.seconds = Date().timeIntervalSince(start)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(enc.encode(PhantomSidecar(summary: summary, options: options, images: cases)),
                             to: root.appendingPathComponent(PhantomSidecar.fileName))
        return summary
    }
}

/// `phantom.json`: what the phantom drew for each image, beside the dataset it belongs to. Lets later stages
/// (AFL's difficulty check, reports) break results down by the hard cases put in on purpose.
public struct PhantomSidecar: Sendable, Codable, Equatable {
    public static let fileName = "phantom.json"
    public var summary: PhantomDatasetSummary
    public var options: Phantom.Options
    public var images: [PhantomCase]

    public init(summary: PhantomDatasetSummary, options: Phantom.Options, images: [PhantomCase]) {
        self.summary = summary; self.options = options; self.images = images
    }

    /// The sidecar of a dataset folder, or nil when the folder has none (it is not a phantom set).
    public static func load(datasetRoot: URL) throws -> PhantomSidecar? {
        let url = datasetRoot.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(PhantomSidecar.self, from: Data(contentsOf: url))
        } catch {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "\(url.path): not a phantom sidecar (\(error))"])
        }
    }

    /// Ids (the dataset's image ids) of images given at least one hard case.
    public var hardImageIDs: Set<String> { Set(images.filter { !$0.hardCases.isEmpty }.map(\.id)) }
    /// Ids of images given no hard case.
    public var plainImageIDs: Set<String> { Set(images.filter { $0.hardCases.isEmpty }.map(\.id)) }
    /// Ids of images given `hardCase` (possibly among others).
    public func imageIDs(with hardCase: PhantomHardCase) -> Set<String> {
        Set(images.filter { $0.hardCases.contains(hardCase) }.map(\.id))
    }
}
