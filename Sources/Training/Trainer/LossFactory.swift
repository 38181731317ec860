/// Base losses by their configuration names (the losses themselves live in Training/Losses).
enum LossFactory {
    static func make(_ name: String) throws -> BaseLoss {
        guard let loss = BaseLoss(name: name) else {
            throw TrainerError.configuration("unknown loss '\(name)'; choose one of \(BaseLoss.names.joined(separator: ", "))")
        }
        return loss
    }
}
