import TensorEngine

/// The critic's weights and its Adam state at one moment, so an update that went non-finite can be undone
/// entirely: weights alone would leave NaN moments that poison every later step.
struct CriticSnapshot {
    private let state: [String: SafetensorsTensor]

    init(_ critic: AFLCritic) { state = critic.stateTensors() }

    /// Puts the critic back. The state came from this very critic, so a shape mismatch is a programming error.
    func restore(into critic: AFLCritic) {
        do {
            try critic.load(stateTensors: state, source: "critic snapshot")
        } catch {
            preconditionFailure("CriticSnapshot: the critic's own state no longer fits it: \(error)")
        }
    }

    /// True when every weight of `critic` is finite.
    static func isFinite(_ critic: AFLCritic) -> Bool {
        critic.network.parameters().allSatisfy { p in p.withUnsafeBufferPointer { $0.allSatisfy(\.isFinite) } }
    }
}
