import Foundation
import XCTest

/// A fresh temporary folder per test, named after what it holds.
public enum Scratch {
    public static func directory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ldk-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Why a test could not run a command-line tool it needs.
public struct MissingTool: Error, CustomStringConvertible {
    public let description: String
}

/// Command-line tools the tests run (mpirun, DCMTK's checkers, dciodvfy). scripts/setup.sh installs them, so under CI
/// (the `CI` variable set) a missing tool fails the test; elsewhere the test skips with the same message.
public enum RequiredTool {
    /// `name` on PATH, or a failure (CI) / skip naming `package`, the Debian package that provides it.
    public static func locate(_ name: String, package: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let found = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        if let found { return found }
        let message = "\(name) is not installed (Debian package \(package); scripts/setup.sh installs it)"
        if ProcessInfo.processInfo.environment["CI"] != nil {
            XCTFail(message, file: file, line: line)
            throw MissingTool(description: message)
        }
        throw XCTSkip(message)
    }
}
