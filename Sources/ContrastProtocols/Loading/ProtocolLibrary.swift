import Foundation

/// The protocols a user can choose from: the four shipped ones (`higher`, `high`, `low`,
/// `lower`) plus any `*.yaml` dropped into a user folder.
///
/// The shipped protocols come from the repository's `protocols/` folder when it can be found
/// (an explicit directory, `$LANDMARK_PROTOCOLS`, `<executable>/../../protocols` or a few levels
/// further up, then `./protocols`), else from the copies embedded in the binary, so a built
/// `landmark` works from any directory. `protocols/*.yaml` stays the source of truth; a test
/// keeps the embedded copies equal to it.
public struct ProtocolLibrary: Sendable {
    /// A loaded protocol, where it came from (a file path or `embedded:<name>`) and its YAML
    /// text, which a run can write next to its outputs as its resolved configuration.
    public struct Entry: Sendable, Equatable {
        public var contrastProtocol: ContrastProtocol
        public var source: String
        public var yaml: String
    }

    /// The entry for `name`, with its source and YAML text.
    public func entry(named name: String) throws -> Entry {
        _ = try named(name)
        return entries.first { $0.contrastProtocol.name == name }!
    }

    /// Shipped protocols, strongest contrast first.
    public static let shippedNames = ["higher", "high", "low", "lower"]
    public static let environmentVariable = "LANDMARK_PROTOCOLS"

    /// Shipped protocols in `shippedNames` order, then user protocols by name.
    public private(set) var entries: [Entry]

    public var names: [String] { entries.map(\.contrastProtocol.name) }

    /// The protocol called `name`; the error lists the names that exist.
    public func named(_ name: String) throws -> ContrastProtocol {
        guard let entry = entries.first(where: { $0.contrastProtocol.name == name }) else {
            throw ProtocolError(file: "(library)", field: "name",
                                message: "no protocol named '\(name)'; available: \(names.joined(separator: ", "))")
        }
        return entry.contrastProtocol
    }

    /// Only the embedded copies of the shipped protocols.
    public static func embedded() throws -> ProtocolLibrary {
        let entries = try shippedNames.map { name -> Entry in
            let text = EmbeddedProtocols.yaml[name]!
            let file = "embedded:\(name)"
            return Entry(contrastProtocol: try ProtocolLoader.parse(text, file: file, expectedName: name), source: file, yaml: text)
        }
        return ProtocolLibrary(entries: entries)
    }

    /// Loads the shipped protocols (from disk when found, embedded otherwise) and every
    /// `*.yaml`/`*.yml` in `userDirectories`. A user protocol may not reuse an existing name.
    public static func load(shippedDirectory: URL? = nil, userDirectories: [URL] = [],
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            executable: URL? = Bundle.main.executableURL,
                            currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        throws -> ProtocolLibrary {
        var library = try embedded()
        if let directory = try locateShippedDirectory(explicit: shippedDirectory, environment: environment,
                                                      executable: executable, currentDirectory: currentDirectory) {
            for entry in try loadDirectory(directory) {
                if let index = library.entries.firstIndex(where: { $0.contrastProtocol.name == entry.contrastProtocol.name }) {
                    library.entries[index] = entry
                } else {
                    library.entries.append(entry)
                }
            }
        }
        for directory in userDirectories {
            for entry in try loadDirectory(directory) {
                if let clash = library.entries.first(where: { $0.contrastProtocol.name == entry.contrastProtocol.name }) {
                    throw ProtocolError(file: entry.source, field: "name",
                                        message: "'\(entry.contrastProtocol.name)' is already defined by \(clash.source); choose another name")
                }
                library.entries.append(entry)
            }
        }
        let shipped = library.entries.filter { shippedNames.contains($0.contrastProtocol.name) }
            .sorted { shippedNames.firstIndex(of: $0.contrastProtocol.name)! < shippedNames.firstIndex(of: $1.contrastProtocol.name)! }
        let others = library.entries.filter { !shippedNames.contains($0.contrastProtocol.name) }
            .sorted { $0.contrastProtocol.name < $1.contrastProtocol.name }
        library.entries = shipped + others
        return library
    }

    /// Where the shipped `protocols/` folder is, or nil to use the embedded copies. An explicit
    /// directory or the environment variable must exist: a typo there is an error, not a fallback.
    public static func locateShippedDirectory(explicit: URL?, environment: [String: String], executable: URL?,
                                              currentDirectory: URL) throws -> URL? {
        if let explicit {
            guard isDirectory(explicit) else {
                throw ProtocolError(file: explicit.path, field: "(file)", message: "protocol directory does not exist")
            }
            return explicit
        }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            let url = URL(fileURLWithPath: fromEnvironment)
            guard isDirectory(url) else {
                throw ProtocolError(file: url.path, field: environmentVariable, message: "protocol directory does not exist")
            }
            return url
        }
        // .build/debug/landmark → ../../protocols; .build is often entered through the resolved
        // .build/<triple>/debug, one level deeper, so look a few levels up.
        if let executable {
            var directory = executable.deletingLastPathComponent()
            for level in 0..<4 {
                directory = directory.deletingLastPathComponent()
                let candidate = directory.appendingPathComponent("protocols")
                if level >= 1, isShippedDirectory(candidate) { return candidate }
            }
        }
        let local = currentDirectory.appendingPathComponent("protocols")
        return isShippedDirectory(local) ? local : nil
    }

    /// Every protocol file in `directory`, sorted by file name.
    public static func loadDirectory(_ directory: URL) throws -> [Entry] {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { ["yaml", "yml"].contains($0.pathExtension.lowercased()) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw ProtocolError(file: directory.path, field: "(file)", message: "cannot list directory: \(error.localizedDescription)")
        }
        return try files.map { url in
            let text: String
            do { text = try String(contentsOf: url, encoding: .utf8) } catch {
                throw ProtocolError(file: url.path, field: "(file)", message: "cannot read: \(error.localizedDescription)")
            }
            let parsed = try ProtocolLoader.parse(text, file: url.path, expectedName: url.deletingPathExtension().lastPathComponent)
            return Entry(contrastProtocol: parsed, source: url.path, yaml: text)
        }
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }

    /// A folder counts as the shipped one only if it holds at least one shipped protocol, so an
    /// unrelated `protocols/` folder (say, a network-protocols checkout) is not picked up.
    private static func isShippedDirectory(_ url: URL) -> Bool {
        isDirectory(url) && shippedNames.contains { FileManager.default.fileExists(atPath: url.appendingPathComponent("\($0).yaml").path) }
    }
}
