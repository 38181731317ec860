import FileOutput
import Foundation
import Logging

/// One place for how the command talks: results on stdout, diagnostics through swift-log on stderr.
enum Console {
    private static let bootstrapped: Bool = {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LANDMARK_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        return true
    }()

    static func logger(_ label: String) -> Logger {
        _ = bootstrapped
        return Logger(label: "landmark.\(label)")
    }

    static func print(_ line: String) {
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
