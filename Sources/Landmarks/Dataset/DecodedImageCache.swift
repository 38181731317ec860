import Crypto
import Foundation
import XRayIngest

/// Keeps decoded, calibrated pixels on disk so later epochs read floats instead of decoding DICOM again.
/// Key: SHA-256 of (absolute path, size, modification time), so an edited file is decoded afresh.
/// Layout per entry: "LDKC" magic, UInt32 header length, JSON header, then rows×columns Float32 (little-endian).
public final class DecodedImageCache: ImageSource, @unchecked Sendable {
    public let directory: URL
    public let upstream: ImageSource
    private let lock = NSLock()
    private var hitCount = 0, missCount = 0

    public init(directory: URL, upstream: ImageSource) throws {
        self.directory = directory
        self.upstream = upstream
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    public var statistics: (hits: Int, misses: Int) { lock.lock(); defer { lock.unlock() }; return (hitCount, missCount) }

    public static func key(for url: URL) throws -> String {
        let path = url.standardizedFileURL.path
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        let size = (attrs[.size] as? NSNumber)?.int64Value ?? -1
        let mtime = (attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return SHA256.hash(data: Data("\(path)\u{0}\(size)\u{0}\(mtime)".utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public func entryURL(for url: URL) throws -> URL {
        directory.appendingPathComponent(try Self.key(for: url) + ".ldkc")
    }

    public func image(at url: URL) throws -> XRayImage {
        let entry = try entryURL(for: url)
        if let cached = try? Self.read(entry) {
            lock.lock(); hitCount += 1; lock.unlock()
            return cached
        }
        let image = try upstream.image(at: url)
        lock.lock(); missCount += 1; lock.unlock()
        try Self.write(image, to: entry)
        return image
    }

    private struct Header: Codable {
        var rows: Int, columns: Int
        var photometric: Photometric
        var originalPhotometric: String?
        var spacing: PixelSpacing?
        var windows: [WindowPreset]
        var voiLUT: VOILookupTable?
        var valueMin: Float?, valueMax: Float?
        var modality: String?
        var sopInstanceUID: String?
        var transferSyntaxUID: String?
        var frameCount: Int, frameIndex: Int
        var bitsStored: Int?
        var warnings: [String]
    }

    static func write(_ im: XRayImage, to url: URL) throws {
        let h = Header(rows: im.rows, columns: im.columns, photometric: im.photometric, originalPhotometric: im.originalPhotometric,
                       spacing: im.spacing, windows: im.windows, voiLUT: im.voiLUT, valueMin: im.valueRange?.lowerBound,
                       valueMax: im.valueRange?.upperBound, modality: im.modality, sopInstanceUID: im.sopInstanceUID,
                       transferSyntaxUID: im.transferSyntaxUID, frameCount: im.frameCount, frameIndex: im.frameIndex,
                       bitsStored: im.bitsStored, warnings: im.warnings)
        let json = try JSONEncoder().encode(h)
        var data = Data("LDKC".utf8)
        var n = UInt32(json.count).littleEndian
        withUnsafeBytes(of: &n) { data.append(contentsOf: $0) }
        data.append(json)
        im.pixels.withUnsafeBufferPointer { data.append(UnsafeRawBufferPointer($0).bindMemory(to: UInt8.self)) }
        // Write-then-rename so a concurrent reader never sees half an entry.
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).tmp")
        try data.write(to: tmp)
        // rename(2) replaces atomically; if another worker already published the same key, its entry is as good.
        if rename(tmp.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: tmp)
            if !FileManager.default.fileExists(atPath: url.path) { throw CocoaError(.fileWriteUnknown) }
        }
    }

    static func read(_ url: URL) throws -> XRayImage {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        guard data.count >= 8, data.prefix(4) == Data("LDKC".utf8) else { throw CocoaError(.fileReadCorruptFile) }
        let n = Int(data[4]) | Int(data[5]) << 8 | Int(data[6]) << 16 | Int(data[7]) << 24
        guard data.count >= 8 + n else { throw CocoaError(.fileReadCorruptFile) }
        let h = try JSONDecoder().decode(Header.self, from: data.subdata(in: 8..<(8 + n)))
        let count = h.rows * h.columns
        guard data.count == 8 + n + count * 4 else { throw CocoaError(.fileReadCorruptFile) }
        var pixels = [Float](repeating: 0, count: count)
        pixels.withUnsafeMutableBytes { dst in
            data.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(8 + n)...])) }
        }
        let range: ClosedRange<Float>? = (h.valueMin != nil && h.valueMax != nil) ? h.valueMin!...h.valueMax! : nil
        return XRayImage(rows: h.rows, columns: h.columns, pixels: pixels, photometric: h.photometric,
                         originalPhotometric: h.originalPhotometric, spacing: h.spacing, windows: h.windows, voiLUT: h.voiLUT,
                         valueRange: range, modality: h.modality, sopInstanceUID: h.sopInstanceUID,
                         transferSyntaxUID: h.transferSyntaxUID, frameCount: h.frameCount, frameIndex: h.frameIndex,
                         bitsStored: h.bitsStored, warnings: h.warnings)
    }
}
