import FileOutput
import Foundation

/// The contents of one safetensors file: named tensors plus the free-form `__metadata__` string map.
/// Decoding validates the whole file before returning anything, so callers never see half a file.
public struct SafetensorsArchive: Sendable, Equatable {
    public var tensors: [String: SafetensorsTensor]
    public var metadata: [String: String]

    public init(tensors: [String: SafetensorsTensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The key reserved by the format for the metadata map; no tensor may use it.
    public static let metadataKey = "__metadata__"
    /// Headers larger than this are refused: real headers are kilobytes, and a corrupt length
    /// field must not make us allocate gigabytes.
    public static let maxHeaderBytes = 100 << 20
}

// MARK: - Encoding

extension SafetensorsArchive {
    /// Serialises to the safetensors byte layout. Tensors are laid out in name order so the same
    /// archive always gives the same bytes.
    public func encode() throws -> [UInt8] {
        guard tensors[SafetensorsArchive.metadataKey] == nil else {
            throw SafetensorsError.invalidTensor(name: SafetensorsArchive.metadataKey, reason: "reserved name")
        }
        let names = tensors.keys.sorted()
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header[SafetensorsArchive.metadataKey] = metadata }
        var offset = 0
        for name in names {
            let t = tensors[name]!
            guard t.bytes.count == t.elementCount * t.dtype.byteSize else {
                throw SafetensorsError.invalidTensor(name: name, reason: "byte count does not match shape \(t.shape)")
            }
            header[name] = ["dtype": t.dtype.rawValue, "shape": t.shape, "data_offsets": [offset, offset + t.bytes.count]]
            offset += t.bytes.count
        }
        // Sorted keys: the same archive always gives the same bytes.
        var headerBytes = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes]))
        // The format asks for the data section to start 8-byte aligned; pad the JSON with spaces.
        while (8 + headerBytes.count) % 8 != 0 { headerBytes.append(0x20) }

        var out = [UInt8]()
        out.reserveCapacity(8 + headerBytes.count + offset)
        var n = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
        out.append(contentsOf: headerBytes)
        for name in names { out.append(contentsOf: tensors[name]!.bytes) }
        return out
    }

    /// Writes atomically: a temporary file in the same directory, fsync, rename over `path`, fsync
    /// of the directory. A crash leaves either the old file or the new one, never a torn one.
    public func write(to path: String) throws {
        do { try AtomicFile.write(try encode(), toPath: path) } catch let e as FileWriteError {
            throw SafetensorsError.io(file: path, reason: e.reason)
        }
    }
}

// MARK: - Decoding

/// A JSON number that is a whole number; shapes and offsets must be integers.
private func jsonInteger(_ value: Any) -> Int64? {
    guard !(value is String), let number = value as? NSNumber else { return nil }
    let d = number.doubleValue
    guard d.rounded() == d, abs(d) < 9.0e15 else { return nil }
    return number.int64Value
}

extension SafetensorsArchive {
    /// Reads and fully validates a file.
    public static func read(from path: String) throws -> SafetensorsArchive {
        try decode(try FileReader.readAll(path), source: path)
    }

    /// Parses safetensors bytes; `source` names the file in error messages.
    public static func decode(_ bytes: [UInt8], source: String) throws -> SafetensorsArchive {
        func corrupt(_ reason: String) -> SafetensorsError { .corrupted(file: source, reason: reason) }

        guard bytes.count >= 8 else {
            throw corrupt("file is \(bytes.count) bytes, too short for the 8-byte header length")
        }
        let declared = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard declared > 0 else { throw corrupt("header length is 0") }
        guard declared <= UInt64(maxHeaderBytes) else {
            throw corrupt("header length \(declared) exceeds the \(maxHeaderBytes)-byte limit")
        }
        let headerLength = Int(declared)
        guard headerLength <= bytes.count - 8 else {
            throw corrupt("header length \(headerLength) runs past the end of the \(bytes.count)-byte file (truncated?)")
        }
        let headerBytes = Array(bytes[8..<(8 + headerLength)])
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(headerBytes))
        } catch {
            throw corrupt("header is not valid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error)")
        }
        guard let members = parsed as? [String: Any] else { throw corrupt("header is not a JSON object") }

        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart
        var metadata: [String: String] = [:]
        var layout: [(name: String, dtype: SafetensorsDType, shape: [Int], begin: Int, end: Int)] = []

        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            if name == metadataKey {
                guard let pairs = value as? [String: Any] else { throw corrupt("__metadata__ is not an object") }
                for (k, v) in pairs {
                    guard let s = v as? String else { throw corrupt("__metadata__ value for '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let field = value as? [String: Any] else { throw corrupt("entry '\(name)' is not an object") }
            guard let dtypeName = field["dtype"] as? String else { throw corrupt("tensor '\(name)' has no dtype string") }
            guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
                throw corrupt("tensor '\(name)' has unsupported dtype '\(dtypeName)'")
            }
            guard let shapeValues = field["shape"] as? [Any] else { throw corrupt("tensor '\(name)' has no shape array") }
            var shape: [Int] = []
            var elements = 1
            for v in shapeValues {
                guard let d = jsonInteger(v), d >= 0, d <= Int64(Int32.max) else {
                    throw corrupt("tensor '\(name)' has an invalid dimension in its shape")
                }
                shape.append(Int(d))
                let (product, overflow) = elements.multipliedReportingOverflow(by: Int(d))
                guard !overflow else { throw corrupt("tensor '\(name)' shape \(shape) overflows") }
                elements = product
            }
            guard let offsets = field["data_offsets"] as? [Any], offsets.count == 2,
                  let b = jsonInteger(offsets[0]), let e = jsonInteger(offsets[1]) else {
                throw corrupt("tensor '\(name)' has no valid data_offsets [begin, end]")
            }
            guard b >= 0, b <= e else { throw corrupt("tensor '\(name)' has data_offsets [\(b), \(e)] with begin > end or negative") }
            guard e <= Int64(dataLength) else {
                throw corrupt("tensor '\(name)' data_offsets [\(b), \(e)] run past the \(dataLength)-byte data section (truncated?)")
            }
            let (needed, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
            guard !overflow, Int64(needed) == e - b else {
                throw corrupt("tensor '\(name)' of shape \(shape) \(dtype.rawValue) needs \(needed) bytes but data_offsets span \(e - b)")
            }
            layout.append((name, dtype, shape, Int(b), Int(e)))
        }

        // Overlapping ranges mean two tensors alias the same bytes: never what a writer intended.
        let ordered = layout.filter { $0.end > $0.begin }.sorted { $0.begin < $1.begin }
        for (a, b) in zip(ordered, ordered.dropFirst()) where b.begin < a.end {
            throw corrupt("tensors '\(a.name)' [\(a.begin), \(a.end)) and '\(b.name)' [\(b.begin), \(b.end)) overlap")
        }

        var tensors: [String: SafetensorsTensor] = [:]
        for entry in layout {
            let slice = Array(bytes[(dataStart + entry.begin)..<(dataStart + entry.end)])
            tensors[entry.name] = try SafetensorsTensor(dtype: entry.dtype, shape: entry.shape, bytes: slice)
        }
        return SafetensorsArchive(tensors: tensors, metadata: metadata)
    }
}
