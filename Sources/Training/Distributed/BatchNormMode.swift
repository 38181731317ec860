/// Where batch norm takes its batch statistics when training runs on several ranks (`batch_norm:` in the config).
/// A single process has one batch either way, so the choice changes nothing there.
public enum BatchNormMode: String, Codable, CaseIterable, Sendable {
    /// Over the global batch, every rank's share (synchronised batch norm): N ranks × b samples train as one process
    /// with N·b would. The default: landmark batches are small, and b = 1 or 2 per rank gives useless statistics.
    case synchronized
    /// Over each rank's own share only, with no communication inside the network; the running statistics are
    /// averaged over ranks at the end of every epoch, so the saved model is one model.
    case local
}
