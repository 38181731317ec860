import Foundation

/// min/max/mean in one unchecked pass: debug builds make generic reductions slow on megapixel images.
struct ValueStats {
    var min: Double, max: Double, mean: Double

    static func of(_ values: [Int32]) -> ValueStats? {
        values.withUnsafeBufferPointer { b in
            guard !b.isEmpty else { return nil }
            var lo = b[0], hi = b[0], sum = 0
            for i in 0..<b.count {
                let v = b[i]
                if v < lo { lo = v }
                if v > hi { hi = v }
                sum += Int(v)
            }
            return ValueStats(min: Double(lo), max: Double(hi), mean: Double(sum) / Double(b.count))
        }
    }

    static func of(_ values: [Float]) -> ValueStats? {
        values.withUnsafeBufferPointer { b in
            guard !b.isEmpty else { return nil }
            var lo = b[0], hi = b[0], sum = 0.0
            for i in 0..<b.count {
                let v = b[i]
                if v < lo { lo = v }
                if v > hi { hi = v }
                sum += Double(v)
            }
            return ValueStats(min: Double(lo), max: Double(hi), mean: sum / Double(b.count))
        }
    }
}
