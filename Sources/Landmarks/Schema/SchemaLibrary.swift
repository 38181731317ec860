import Foundation

/// Finds schemas by name: files in `landmark-schemas/` first (so users can edit and add), embedded copies last
/// (so the binary works from anywhere).
public struct SchemaLibrary: Sendable {
    public static let defaultSchemaName = "spine-lateral-36"
    public static let environmentVariable = "LANDMARK_SCHEMAS"
    public static let folderName = "landmark-schemas"

    /// Directories searched in order.
    public var searchDirectories: [URL]
    public var useEmbedded: Bool

    /// Search order: `explicitDirectory`, `$LANDMARK_SCHEMAS`, `landmark-schemas/` beside or above the executable,
    /// `landmark-schemas/` in or above the current directory, then the embedded copies.
    public init(explicitDirectory: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                useEmbedded: Bool = true) {
        var dirs: [URL] = []
        if let d = explicitDirectory { dirs.append(d) }
        if let e = environment[Self.environmentVariable], !e.isEmpty {
            dirs += e.split(separator: ":").map { URL(fileURLWithPath: String($0), isDirectory: true) }
        }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        dirs += Self.ancestors(of: exe).map { $0.appendingPathComponent(Self.folderName, isDirectory: true) }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        dirs += Self.ancestors(of: cwd).map { $0.appendingPathComponent(Self.folderName, isDirectory: true) }
        var seen = Set<String>()
        searchDirectories = dirs.filter { seen.insert($0.standardizedFileURL.path).inserted }
        self.useEmbedded = useEmbedded
    }

    private static func ancestors(of url: URL, limit: Int = 6) -> [URL] {
        var out: [URL] = [], u = url.standardizedFileURL
        for _ in 0..<limit {
            out.append(u)
            let up = u.deletingLastPathComponent()
            if up.path == u.path { break }
            u = up
        }
        return out
    }

    /// Where `name` would be loaded from; nil when only the embedded copy (or nothing) has it.
    public func fileURL(for name: String) -> URL? {
        for dir in searchDirectories {
            let f = dir.appendingPathComponent("\(name).yaml")
            if FileManager.default.fileExists(atPath: f.path) { return f }
        }
        return nil
    }

    /// Loads the schema called `name` (a file path also works).
    public func schema(named name: String) throws -> LandmarkSchema {
        let found = try source(named: name)
        return try LandmarkSchema.parse(yaml: found.text, file: found.file)
    }

    /// The exact YAML text of schema `name` (or of a schema path): the file when one is found, else the embedded
    /// copy, which is byte-identical to the shipped file (LandmarksTests fails until embed.sh is rerun).
    public func yamlText(named name: String) throws -> String { try source(named: name).text }

    /// One lookup for both: a path as given, then the search directories, then the embedded copies.
    private func source(named name: String) throws -> (text: String, file: String) {
        let isPath = name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.contains("/")
        if let url = isPath ? URL(fileURLWithPath: name) : fileURL(for: name) {
            do { return (try String(contentsOf: url, encoding: .utf8), url.path) } catch {
                throw SchemaError(file: url.path, problem: .unreadable(error.localizedDescription))
            }
        }
        if useEmbedded, let text = EmbeddedSchemas.yaml[name] { return (text, "<embedded>/\(name).yaml") }
        throw SchemaError(file: "\(name).yaml", problem: .unreadable(
            "no schema '\(name)' in \(searchDirectories.map(\.path).joined(separator: ", ")) or the built-in set (\(EmbeddedSchemas.yaml.keys.sorted().joined(separator: ", ")))"))
    }

    /// Names available from files and embedded copies.
    public func availableNames() -> [String] {
        var names = Set(useEmbedded ? Array(EmbeddedSchemas.yaml.keys) : [])
        for dir in searchDirectories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for f in files where f.hasSuffix(".yaml") { names.insert(String(f.dropLast(5))) }
        }
        return names.sorted()
    }
}
