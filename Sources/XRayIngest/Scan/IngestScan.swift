import Foundation
import ParallelWork

/// Reads every image under a set of files and folders, in parallel, never stopping at a bad file.
///
/// Folders are walked recursively; a file is taken when its content says DICOM or TIFF, or its
/// extension claims one of them (so a broken `.dcm` is reported, not silently skipped). Other
/// files (CSV, README, …) in folders are ignored; files named explicitly are always reported.
/// Results come back in a deterministic order: inputs in the order given, files sorted by path.
public struct IngestScan: Sendable {
    /// One scanned file.
    public struct Entry: Sendable {
        public var url: URL
        public var record: IngestInventoryRecord
        /// The decoded image, only when `keepImages` was set and reading succeeded.
        public var image: IngestedImage?
        /// The error as thrown (DICOMError for DICOM files), when reading failed.
        public var error: (any Error)?
    }

    /// Format readers by format. DICOM is built in; pass a TIFF reader to read TIFF files,
    /// otherwise they are listed with an error saying no TIFF reader is configured.
    public var readers: [IngestFormat: any IngestFormatReader]
    /// Number of files decoded at once.
    public var concurrency: Int
    /// Keep decoded images in the entries (memory grows with the folder).
    public var keepImages: Bool
    /// Paths in records are relative to this folder when the file lies under it; otherwise
    /// relative to the folder input that found it (a file input is named by its file name).
    public var root: URL?
    /// For a job split over processes: given the number of files found, the ones this process reads (positions in
    /// the deterministic order). nil = all of them.
    public var share: (@Sendable (Int) -> Range<Int>)?

    public init(readers: [any IngestFormatReader] = [DICOMIngestReader()],
                concurrency: Int = ProcessInfo.processInfo.activeProcessorCount, keepImages: Bool = false,
                root: URL? = nil) {
        var byFormat: [IngestFormat: any IngestFormatReader] = [:]
        for reader in readers { byFormat[reader.format] = reader }
        self.readers = byFormat
        self.concurrency = max(1, concurrency)
        self.keepImages = keepImages
        self.root = root
    }

    /// Scan `inputs`; `progress(done, total)` is called from worker threads as files finish.
    ///
    /// `each` sees every entry with its decoded image, on the worker thread that decoded it, before
    /// the image is dropped (unless `keepImages`): a folder is processed in one decode per file
    /// without holding every image in memory.
    public func run(_ inputs: [URL], progress: (@Sendable (Int, Int) -> Void)? = nil,
                    each: (@Sendable (Entry) -> Void)? = nil) -> [Entry] {
        let found = inputs.flatMap(candidates(in:))
        let candidates = share.map { Array(found[$0(found.count)]) } ?? found
        let results = ResultSlots<Entry>(count: candidates.count)
        let workers = min(concurrency, max(candidates.count, 1))
        WorkerPool.shared.forEach(workers) { _ in
            while let index = results.claimNext() {
                var entry = read(candidates[index])
                each?(entry)
                if !keepImages { entry.image = nil }
                results.store(entry, at: index)
                progress?(results.finishedCount, candidates.count)
            }
        }
        return results.values()
    }

    /// Convenience: the inventory records only.
    public func inventory(_ inputs: [URL]) -> [IngestInventoryRecord] { run(inputs).map(\.record) }

    struct Candidate {
        var url: URL
        var relativePath: String
        var format: IngestFormat?
    }

    func candidates(in input: URL) -> [Candidate] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input.path, isDirectory: &isDirectory) else {
            return [Candidate(url: input, relativePath: relative(input, base: nil), format: nil)]
        }
        guard isDirectory.boolValue else {
            return [Candidate(url: input, relativePath: relative(input, base: nil), format: Self.detect(input))]
        }
        let base = input.standardizedFileURL.resolvingSymlinksInPath()
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var found: [Candidate] = []
        for case let url as URL in walker {
            // Symlinked files count (dataset folders are often built from links); the resource
            // value describes the link itself, so ask about its target.
            let target = url.resolvingSymlinksInPath()
            guard (try? target.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  let format = Self.detect(url) else { continue }
            found.append(Candidate(url: url, relativePath: relative(url, base: base), format: format))
        }
        return found.sorted { $0.relativePath < $1.relativePath }
    }

    func read(_ candidate: Candidate) -> Entry {
        guard let format = candidate.format else {
            let error = DICOMError(.notDICOM, path: candidate.url.path, reason: "neither DICOM nor TIFF, or unreadable")
            return Entry(url: candidate.url, record: .init(path: candidate.relativePath, format: nil, error: error),
                         image: nil, error: error)
        }
        guard let reader = readers[format] else {
            let error = DICOMError(.unsupported, path: candidate.url.path, reason: "no \(format.rawValue) reader configured")
            return Entry(url: candidate.url, record: .init(path: candidate.relativePath, format: format, error: error),
                         image: nil, error: error)
        }
        do {
            let image = try reader.read(candidate.url)
            return Entry(url: candidate.url, record: .init(path: candidate.relativePath, ingested: image),
                         image: image, error: nil)
        } catch {
            return Entry(url: candidate.url, record: .init(path: candidate.relativePath, format: format, error: error),
                         image: nil, error: error)
        }
    }

    static func detect(_ url: URL) -> IngestFormat? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 256)) ?? Data()
        return IngestFormat.detect(leadingBytes: [UInt8](head), url: url)
    }

    private func relative(_ url: URL, base: URL?) -> String {
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        for candidate in [root?.standardizedFileURL.resolvingSymlinksInPath(), base].compactMap({ $0 }) {
            let prefix = candidate.path.hasSuffix("/") ? candidate.path : candidate.path + "/"
            if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        }
        return url.lastPathComponent
    }
}

/// Fixed slots filled by index from several threads, so output order never depends on timing.
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private var next = 0
    private var finished = 0
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claimNext() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ value: T, at index: Int) {
        lock.lock()
        slots[index] = value
        finished += 1
        lock.unlock()
    }

    var finishedCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    func values() -> [T] { slots.compactMap { $0 } }
}
