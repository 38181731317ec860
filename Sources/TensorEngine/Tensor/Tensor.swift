/// A dense, contiguous, row-major Float32 array with an optional place in the autograd graph.
///
/// Images are NCHW. A tensor's shape never changes; ops return new tensors. `reshape` and `detach` share
/// storage with their source, every other op allocates its output.
public final class Tensor {
    public let shape: [Int]
    public let count: Int
    public let storage: TensorStorage

    /// Leaf tensors that require grad receive `.grad` from `backward()`. Results of ops require grad when any
    /// input does and grad mode is on.
    public var requiresGrad: Bool {
        didSet {
            precondition(gradFn == nil || requiresGrad, "requiresGrad: cannot turn off on a non-leaf tensor; use detach()")
        }
    }

    /// Accumulated gradient of a leaf; set to nil (or call `zeroGrad()`) between steps.
    public var grad: Tensor?

    /// A free-form label used in error messages and graph dumps.
    public var name: String?

    /// The op that produced this tensor, when it was recorded.
    public internal(set) var gradFn: GradFn?

    /// Whether `grad`'s storage belongs to this leaf alone, so later backward passes may add into it in place.
    var gradIsOwned = false

    public init(storage: TensorStorage, shape: [Int], requiresGrad: Bool = false) {
        let n = Shapes.count(shape)
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        precondition(storage.count >= n, "Tensor: storage of \(storage.count) elements is too small for shape \(shape)")
        self.shape = shape
        self.count = n
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// Uninitialised tensor for kernels that write every element.
    convenience init(uninitialized shape: [Int]) {
        self.init(storage: TensorStorage(uninitializedCount: Shapes.count(shape)), shape: shape)
    }

    public convenience init(_ data: [Float], shape: [Int], requiresGrad: Bool = false) {
        precondition(data.count == Shapes.count(shape), "Tensor(data:shape:): \(data.count) values for shape \(shape)")
        let s = TensorStorage(uninitializedCount: data.count)
        data.withUnsafeBufferPointer { s.pointer.update(from: $0.baseAddress!, count: data.count) }
        self.init(storage: s, shape: shape, requiresGrad: requiresGrad)
    }

    public convenience init(zeros shape: [Int], requiresGrad: Bool = false) {
        self.init(storage: TensorStorage(zeroedCount: Shapes.count(shape)), shape: shape, requiresGrad: requiresGrad)
    }

    public convenience init(repeating value: Float, shape: [Int], requiresGrad: Bool = false) {
        let s = TensorStorage(uninitializedCount: Shapes.count(shape))
        s.pointer.initialize(repeating: value, count: Shapes.count(shape))
        self.init(storage: s, shape: shape, requiresGrad: requiresGrad)
    }

    public convenience init(scalar value: Float, requiresGrad: Bool = false) {
        self.init([value], shape: [], requiresGrad: requiresGrad)
    }

    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor { Tensor(zeros: shape, requiresGrad: requiresGrad) }
    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor { Tensor(repeating: 1, shape: shape, requiresGrad: requiresGrad) }
    public static func full(_ value: Float, _ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        Tensor(repeating: value, shape: shape, requiresGrad: requiresGrad)
    }

    public var rank: Int { shape.count }
    public var isLeaf: Bool { gradFn == nil }

    /// Direct access to the elements, for kernels outside the engine (optimisers, data loading).
    public var data: UnsafeMutablePointer<Float> { storage.pointer }

    public var scalar: Float {
        precondition(count == 1, "scalar: tensor of shape \(shape) has \(count) elements, expected 1")
        return storage.pointer[0]
    }

    public func toArray() -> [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }

    public subscript(flat i: Int) -> Float {
        get { precondition(i >= 0 && i < count, "Tensor[flat:]: index \(i) out of range for shape \(shape)"); return storage.pointer[i] }
        set { precondition(i >= 0 && i < count, "Tensor[flat:]: index \(i) out of range for shape \(shape)"); storage.pointer[i] = newValue }
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Writes go to the shared storage and are not recorded by autograd (for optimisers and initialisers).
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// Same storage, no graph: the result is a leaf that does not require grad.
    public func detach() -> Tensor { Tensor(storage: storage, shape: shape) }

    /// A fresh copy of the data, detached from the graph.
    public func copy() -> Tensor {
        let t = Tensor(uninitialized: shape)
        t.data.update(from: data, count: count)
        return t
    }

    /// Marks a leaf as requiring grad and returns it, for chaining: `Tensor.randn(...).requiringGrad()`.
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) -> Tensor { requiresGrad = flag; return self }

    public func zeroGrad() { grad = nil; gradIsOwned = false }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = toArray().prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 8 ? ", …" : "")]\(gradFn.map { ", gradFn: \($0.name)" } ?? ""))"
    }
}

// MARK: Random initialisation

extension Tensor {
    /// Normal(mean, std), filled sequentially from `rng`.
    public static func randn(_ shape: [Int], mean: Float = 0, std: Float = 1, rng: inout RandomGenerator, requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(uninitialized: shape)
        for i in 0..<t.count { t.data[i] = mean + std * rng.normal() }
        t.requiresGrad = requiresGrad
        return t
    }

    /// Uniform[low, high), filled sequentially from `rng`.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, rng: inout RandomGenerator, requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(uninitialized: shape)
        for i in 0..<t.count { t.data[i] = rng.uniform(low, high) }
        t.requiresGrad = requiresGrad
        return t
    }

    /// fan-in of a weight of shape [out, in, k...] as PyTorch counts it: in × prod(k).
    public static func fanIn(_ shape: [Int]) -> Int { shape.count < 2 ? Swift.max(shape.first ?? 1, 1) : shape.dropFirst().reduce(1, *) }

    /// He/Kaiming normal: std = gain / sqrt(fanIn), gain = sqrt(2 / (1 + a²)) (a = negative slope).
    public static func kaimingNormal(_ shape: [Int], negativeSlope a: Float = 0, rng: inout RandomGenerator, requiresGrad: Bool = true) -> Tensor {
        let gain = (2 / (1 + a * a)).squareRoot()
        return randn(shape, std: gain / Float(fanIn(shape)).squareRoot(), rng: &rng, requiresGrad: requiresGrad)
    }

    /// He/Kaiming uniform: bound = gain × sqrt(3 / fanIn). With a = sqrt(5) this is PyTorch's default
    /// Conv2d/Linear weight init.
    public static func kaimingUniform(_ shape: [Int], negativeSlope a: Float = 0, rng: inout RandomGenerator, requiresGrad: Bool = true) -> Tensor {
        let gain = (2 / (1 + a * a)).squareRoot()
        let bound = gain * (3 / Float(fanIn(shape))).squareRoot()
        return uniform(shape, low: -bound, high: bound, rng: &rng, requiresGrad: requiresGrad)
    }
}
