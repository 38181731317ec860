import FileOutput
import Foundation
import Logging

/// One place for how the command talks: results on stdout, diagnostics through swift-log on stderr.
enum Console {
    /// Ranks other than 0 of an mpirun job: results and progress come from rank 0 alone.
    nonisolated(unsafe) private(set) static var isQuiet = false

    private static let bootstrapped: Bool = {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            let level = ProcessInfo.processInfo.environment["LANDMARK_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            handler.logLevel = isQuiet ? max(level, .warning) : level
            return handler
        }
        return true
    }()

    /// Warnings and errors only, and no result lines; call before the first logger is made.
    static func quiet() { isQuiet = true }

    static func logger(_ label: String) -> Logger {
        _ = bootstrapped
        return Logger(label: "landmark.\(label)")
    }

    static func print(_ line: String) {
        guard !isQuiet else { return }
        Swift.print(line)
    }
}

/// JSON for files the commands write (configurations, summaries): stable key order, readable.
enum JSONFile {
    static func write<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(data, to: url)
    }
}
