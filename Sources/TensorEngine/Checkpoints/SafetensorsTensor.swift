/// One named tensor of a safetensors file in its stored form: element type, shape and the raw
/// little-endian bytes. It knows nothing about the engine's `Tensor`, so checkpoint I/O can be
/// tested (and used) without the autograd machinery.
public struct SafetensorsTensor: Sendable, Equatable {
    public var dtype: SafetensorsDType
    public var shape: [Int]
    public var bytes: [UInt8]

    /// Builds a tensor and checks that `bytes` holds exactly `shape.product × dtype.byteSize` bytes.
    public init(dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw SafetensorsError.invalidTensor(name: nil, reason: "negative dimension in shape \(shape)")
        }
        let expected = SafetensorsTensor.elementCount(shape) * dtype.byteSize
        guard expected == bytes.count else {
            throw SafetensorsError.invalidTensor(
                name: nil, reason: "shape \(shape) of \(dtype.rawValue) needs \(expected) bytes, got \(bytes.count)")
        }
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// An F32 tensor from values; the element count must match the shape.
    public init(float32 values: [Float], shape: [Int]) throws {
        var bytes = [UInt8](repeating: 0, count: values.count * 4)
        bytes.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
            }
        }
        try self.init(dtype: .f32, shape: shape, bytes: bytes)
    }

    /// An I64 tensor from values (PyTorch stores `num_batches_tracked` this way, as a 0-d tensor).
    public init(int64 values: [Int64], shape: [Int]) throws {
        var bytes = [UInt8](repeating: 0, count: values.count * 8)
        bytes.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                raw.storeBytes(of: v.littleEndian, toByteOffset: i * 8, as: Int64.self)
            }
        }
        try self.init(dtype: .i64, shape: shape, bytes: bytes)
    }

    /// Number of elements; a 0-d shape `[]` holds one.
    public var elementCount: Int { SafetensorsTensor.elementCount(shape) }

    static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// The values as Float, converting from any floating-point or integer dtype.
    public func floats() -> [Float] {
        let n = elementCount
        return bytes.withUnsafeBytes { raw -> [Float] in
            var out = [Float](repeating: 0, count: n)
            for i in 0..<n {
                switch dtype {
                case .f32: out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                case .f64: out[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))))
                case .f16: out[i] = halfToFloat(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
                case .bf16: out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) << 16)
                case .i64: out[i] = Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)))
                case .i32: out[i] = Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
                case .i16: out[i] = Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: Int16.self)))
                case .i8: out[i] = Float(raw.load(fromByteOffset: i, as: Int8.self))
                case .u8, .bool: out[i] = Float(raw[i])
                }
            }
            return out
        }
    }

    /// The values as Int64; floating-point values are truncated toward zero.
    public func int64s() -> [Int64] {
        if dtype == .i64 {
            return bytes.withUnsafeBytes { raw in
                (0..<elementCount).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
            }
        }
        return floats().map { Int64($0) }
    }
}

/// IEEE 754 binary16 → binary32 by bits, so no platform Float16 support is needed.
func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = Int((h >> 10) & 0x1F)
    let mantissa = UInt32(h & 0x3FF)
    if exponent == 0 {
        // Subnormal or zero: value = mantissa × 2^-24.
        let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
        return sign != 0 ? -magnitude : magnitude
    }
    if exponent == 0x1F {
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    }
    return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
}
