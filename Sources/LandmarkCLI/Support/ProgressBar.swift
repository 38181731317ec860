import Foundation

/// A progress line on standard error: count, rate and ETA.
///
/// On a terminal it redraws one line in place; when stderr is a file or pipe (CI logs) it prints
/// a plain line every 10 % so logs stay readable. Safe to call from worker threads.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private var total: Int
    private let unit: String
    private let start = Date()
    private let lock = NSLock()
    private let interactive = isatty(STDERR_FILENO) != 0
    private var lastDecile = -1
    private var lastDraw = Date.distantPast

    init(_ label: String, total: Int = 0, unit: String = "files") {
        self.label = label
        self.total = max(total, 0)
        self.unit = unit
    }

    /// `total` may be given late, by work whose size is known only once it starts (a folder scan).
    func update(done: Int, total newTotal: Int? = nil, note: String = "") {
        guard !Console.isQuiet else { return }
        lock.lock()
        defer { lock.unlock() }
        if let newTotal { total = newTotal }
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        if interactive {
            guard done == total || Date().timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = Date()
            let width = 28
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let line = "\r\(label) \(bar) \(done)/\(total) \(unit)  \(String(format: "%.1f", rate))/s  ETA \(Self.clock(remaining)) \(note)"
            FileHandle.standardError.write(Data(line.utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            let decile = Int(fraction * 10)
            guard decile != lastDecile else { return }
            lastDecile = decile
            let line = "\(label): \(done)/\(total) \(unit), \(String(format: "%.1f", rate))/s, ETA \(Self.clock(remaining)) \(note)\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%02d:%02d", s / 60, s % 60)
    }
}
