import Foundation

/// Transforms of one convolution's filters, kept for repeated inference calls with the same weights.
///
/// A Winograd convolution multiplies transformed filters, U = G g Gᵀ per tile position, not the filters
/// themselves. Training must redo that every step because the weights change; an inference layer's weights
/// do not, and at batch 1 the transform is a large share of a deep layer: the F(2×2) transform of a
/// 512→512 layer writes 16 MB and took 12 of the 98 ms of a 512² r18 pass. A layer that owns constant
/// weights (`FusedConv`) keeps one of these and passes it to `conv2dFused`; each transform is computed on
/// first use and kept for as long as the layer lives.
///
/// The weights must not change while this exists: it is keyed by tile only, not by their contents.
public final class PreparedFilters: @unchecked Sendable {
    private let lock = NSLock()
    private var winograd: [WinogradTile: TensorStorage] = [:]

    public init() {}

    /// Bytes held by the transforms computed so far.
    public var bytes: Int { lock.withLock { winograd.values.reduce(0) { $0 + 4 * $1.count } } }

    /// The transformed filters for `tile`, computed by `make` the first time.
    func winograd(_ tile: WinogradTile, _ make: () -> TensorStorage) -> TensorStorage {
        lock.withLock {
            if let u = winograd[tile] { return u }
            let u = make()
            winograd[tile] = u
            return u
        }
    }
}
