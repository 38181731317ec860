import Landmarks

/// Which kinds of known hard case the difficulty score notices: each kind's images against the plain ones (images
/// with no hard case), at the log's last epoch. `landmark difficulty` prints it for phantom runs.
public struct HardCaseSeparation<Kind: Sendable & Equatable>: Sendable, Equatable {
    public var kind: Kind
    public var separation: DifficultySeparation

    /// One row per kind that has scores at the last logged epoch, in the order given; nil for an empty log.
    public static func atLastEpoch(_ log: DifficultyLog, kinds: [(Kind, Set<String>)], plain: Set<String>)
        -> (epoch: Int, rows: [HardCaseSeparation])? {
        guard let last = log.epochs.last else { return nil }
        let rows = kinds.compactMap { kind, ids -> HardCaseSeparation? in
            DifficultySeparation.perEpoch(log, hard: ids, easy: plain).last { $0.epoch == last }
                .map { HardCaseSeparation(kind: kind, separation: $0) }
        }
        return (last, rows)
    }
}

extension HardCaseSeparation where Kind == PhantomHardCase {
    /// Every kind the phantom draws, labelled by its sidecar.
    public static func atLastEpoch(_ log: DifficultyLog, sidecar: PhantomSidecar) -> (epoch: Int, rows: [HardCaseSeparation])? {
        atLastEpoch(log, kinds: PhantomHardCase.allCases.map { ($0, sidecar.imageIDs(with: $0)) }, plain: sidecar.plainImageIDs)
    }
}
