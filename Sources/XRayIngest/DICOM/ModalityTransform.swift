import CDicomBridge

/// The Modality LUT of a greyscale file (docs/CONVENTIONS.md, intensities).
enum ModalityTransform: Equatable {
    case identity
    case rescale(slope: Double, intercept: Double)
    case table(firstMapped: Int, entries: [UInt16])

    /// A usable LUT Sequence wins over Rescale attributes (they should not coexist); empty or
    /// malformed LUTs and rescale values are ignored with a warning.
    static func resolve(handle: DICOMHandle, warnings: inout [String]) -> ModalityTransform {
        switch handle.lut(LDK_LUT_MODALITY) {
        case .table(let first, _, let entries, _) where !entries.isEmpty:
            return .table(firstMapped: first, entries: entries)
        case .unusable(let why):
            warnings.append("Modality LUT Sequence ignored: \(why)")
        default:
            break
        }
        let info = handle.info
        guard info.has_rescale_slope != 0 || info.has_rescale_intercept != 0 else { return .identity }
        let slope = info.has_rescale_slope != 0 ? info.rescale_slope : 1
        let intercept = info.has_rescale_intercept != 0 ? info.rescale_intercept : 0
        guard slope.isFinite, intercept.isFinite, slope != 0 else {
            warnings.append("Rescale Slope/Intercept \(slope)/\(intercept) unusable; identity used")
            return .identity
        }
        return slope == 1 && intercept == 0 ? .identity : .rescale(slope: slope, intercept: intercept)
    }

    /// One pass over the stored values.
    func apply(_ stored: [Int32]) -> [Float] {
        let n = stored.count
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            stored.withUnsafeBufferPointer { src in
                switch self {
                case .identity:
                    for i in 0..<n { out[i] = Float(src[i]) }
                case .rescale(let slope, let intercept):
                    for i in 0..<n { out[i] = Float(Double(src[i]) * slope + intercept) }
                case .table(let first, let entries):
                    entries.withUnsafeBufferPointer { lut in
                        let last = lut.count - 1
                        for i in 0..<n {
                            let k = min(max(Int(src[i]) - first, 0), last)
                            out[i] = Float(lut[k])
                        }
                    }
                }
            }
            initialized = n
        }
    }

    /// Output range for stored values in `stored`.
    func range(ofStored stored: ClosedRange<Int>) -> ClosedRange<Float> {
        switch self {
        case .identity:
            return Float(stored.lowerBound)...Float(stored.upperBound)
        case .rescale(let slope, let intercept):
            let a = Double(stored.lowerBound) * slope + intercept, b = Double(stored.upperBound) * slope + intercept
            return Float(min(a, b))...Float(max(a, b))
        case .table(_, let entries):
            return Float(entries.min() ?? 0)...Float(entries.max() ?? 0)
        }
    }
}
