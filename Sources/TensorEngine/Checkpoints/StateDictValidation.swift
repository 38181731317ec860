/// What a model expects one entry of its state dict to look like.
public struct TensorSpec: Sendable, Equatable {
    public var dtype: SafetensorsDType
    public var shape: [Int]
    public init(dtype: SafetensorsDType = .f32, shape: [Int]) {
        self.dtype = dtype
        self.shape = shape
    }
}

/// One difference between a checkpoint and the model it is loaded into.
public enum StateDictProblem: Sendable, Equatable, CustomStringConvertible {
    case missing(name: String, expected: TensorSpec)
    case unexpected(name: String, found: TensorSpec)
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case dtypeMismatch(name: String, expected: SafetensorsDType, found: SafetensorsDType)

    public var description: String {
        switch self {
        case let .missing(n, e): return "missing '\(n)' (expected \(e.dtype.rawValue) \(e.shape))"
        case let .unexpected(n, f): return "unexpected '\(n)' (\(f.dtype.rawValue) \(f.shape)) is not in the model"
        case let .shapeMismatch(n, e, f): return "shape mismatch for '\(n)': model \(e), file \(f)"
        case let .dtypeMismatch(n, e, f): return "dtype mismatch for '\(n)': model \(e.rawValue), file \(f.rawValue)"
        }
    }
}

extension SafetensorsArchive {
    /// Every difference between this archive and `expected`, sorted by name. With `strictDTypes`
    /// false a floating-point entry accepts any floating-point dtype (converted on load) and an
    /// integer entry any integer dtype, since exporters differ in precision but not in meaning.
    public func problems(against expected: [String: TensorSpec], strictDTypes: Bool = false) -> [StateDictProblem] {
        var problems: [StateDictProblem] = []
        for name in expected.keys.sorted() {
            let spec = expected[name]!
            guard let t = tensors[name] else { problems.append(.missing(name: name, expected: spec)); continue }
            if t.shape != spec.shape { problems.append(.shapeMismatch(name: name, expected: spec.shape, found: t.shape)) }
            let compatible = strictDTypes ? t.dtype == spec.dtype : t.dtype.isFloatingPoint == spec.dtype.isFloatingPoint
            if !compatible { problems.append(.dtypeMismatch(name: name, expected: spec.dtype, found: t.dtype)) }
        }
        for name in tensors.keys.sorted() where expected[name] == nil {
            let t = tensors[name]!
            problems.append(.unexpected(name: name, found: TensorSpec(dtype: t.dtype, shape: t.shape)))
        }
        return problems
    }

    /// Throws `SafetensorsError.mismatch` listing every problem, or returns when the archive fits.
    public func validate(against expected: [String: TensorSpec], source: String, strictDTypes: Bool = false) throws {
        let found = problems(against: expected, strictDTypes: strictDTypes)
        if !found.isEmpty { throw SafetensorsError.mismatch(file: source, problems: found) }
    }
}
