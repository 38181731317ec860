import XCTest
@testable import ContrastProtocols

/// Finding the shipped protocols, user folders, and the embedded copies.
final class ProtocolLibraryTests: XCTestCase {
    /// `<repo>/protocols`, from this file's path.
    private var repoProtocols: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("protocols")
    }

    func testEmbeddedCopiesEqualTheFiles() throws {
        for name in ProtocolLibrary.shippedNames {
            let file = try String(contentsOf: repoProtocols.appendingPathComponent("\(name).yaml"), encoding: .utf8)
            XCTAssertEqual(EmbeddedProtocols.yaml[name], file,
                           "Sources/ContrastProtocols/Loading/EmbeddedProtocols.swift is stale: copy protocols/\(name).yaml into it")
        }
        XCTAssertEqual(Set(EmbeddedProtocols.yaml.keys), Set(ProtocolLibrary.shippedNames))
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: repoProtocols.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertEqual(Set(onDisk), Set(ProtocolLibrary.shippedNames.map { "\($0).yaml" }))
    }

    func testShippedProtocolsLoadAndFollowTheDesign() throws {
        let library = try ProtocolLibrary.load(shippedDirectory: repoProtocols)
        XCTAssertEqual(library.names, ProtocolLibrary.shippedNames)
        XCTAssertTrue(library.entries.allSatisfy { $0.source.hasPrefix(repoProtocols.path) })
        let hasCLAHE = { (p: ContrastProtocol) in p.steps.contains { if case .clahe = $0 { return true } else { return false } } }
        XCTAssertTrue(hasCLAHE(try library.named("higher")))
        XCTAssertFalse(hasCLAHE(try library.named("lower")), "lower has no local equalisation")
        XCTAssertEqual(try library.named("lower").steps.first, .window(.fullRange))
        XCTAssertEqual(try ProtocolLibrary.embedded().entries.map(\.contrastProtocol), library.entries.map(\.contrastProtocol))
    }

    func testLocatingTheShippedFolder() throws {
        let empty = try makeTemporaryDirectory(self)
        let explicit = try ProtocolLibrary.locateShippedDirectory(explicit: repoProtocols, environment: [:], executable: nil,
                                                                 currentDirectory: empty)
        XCTAssertEqual(explicit, repoProtocols)
        let fromEnvironment = try ProtocolLibrary.locateShippedDirectory(
            explicit: nil, environment: ["LANDMARK_PROTOCOLS": repoProtocols.path], executable: nil, currentDirectory: empty)
        XCTAssertEqual(fromEnvironment?.standardizedFileURL, repoProtocols.standardizedFileURL)
        // A binary at <repo>/.build/debug/landmark finds <repo>/protocols.
        let repo = repoProtocols.deletingLastPathComponent()
        let executable = repo.appendingPathComponent(".build/debug/landmark")
        let fromExecutable = try ProtocolLibrary.locateShippedDirectory(explicit: nil, environment: [:], executable: executable,
                                                                       currentDirectory: empty)
        XCTAssertEqual(fromExecutable?.standardizedFileURL, repoProtocols.standardizedFileURL)
        // The same binary reached through the resolved symlink, one level deeper.
        let resolved = repo.appendingPathComponent(".build/x86_64-unknown-linux-gnu/release/landmark")
        let fromResolved = try ProtocolLibrary.locateShippedDirectory(explicit: nil, environment: [:], executable: resolved,
                                                                     currentDirectory: empty)
        XCTAssertEqual(fromResolved?.standardizedFileURL, repoProtocols.standardizedFileURL)
        let fromCurrentDirectory = try ProtocolLibrary.locateShippedDirectory(explicit: nil, environment: [:], executable: nil,
                                                                             currentDirectory: repo)
        XCTAssertEqual(fromCurrentDirectory?.standardizedFileURL, repoProtocols.standardizedFileURL)
        // Nowhere to be found: nil, and `load` falls back to the embedded copies.
        XCTAssertNil(try ProtocolLibrary.locateShippedDirectory(explicit: nil, environment: [:],
                                                                executable: URL(fileURLWithPath: "/usr/bin/landmark"),
                                                                currentDirectory: empty))
        let fallback = try ProtocolLibrary.load(environment: [:], executable: nil, currentDirectory: empty)
        XCTAssertEqual(fallback.entries.map(\.source), ProtocolLibrary.shippedNames.map { "embedded:\($0)" })
        // A wrong explicit path or environment variable is an error, not a silent fallback.
        XCTAssertThrowsError(try ProtocolLibrary.locateShippedDirectory(explicit: empty.appendingPathComponent("nope"),
                                                                        environment: [:], executable: nil, currentDirectory: empty))
        XCTAssertThrowsError(try ProtocolLibrary.load(environment: ["LANDMARK_PROTOCOLS": "/no/such/dir"], executable: nil,
                                                      currentDirectory: empty)) { error in
            XCTAssertEqual((error as? ProtocolError)?.field, "LANDMARK_PROTOCOLS")
        }
    }

    func testUserFolderAddsProtocols() throws {
        let user = try makeTemporaryDirectory(self)
        try "name: soft\nsteps:\n  - step: window\n    source: full_range\n  - step: tone\n    curve: gamma\n    gamma: 0.5\n"
            .write(to: user.appendingPathComponent("soft.yaml"), atomically: true, encoding: .utf8)
        try "not a protocol".write(to: user.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)
        let library = try ProtocolLibrary.load(shippedDirectory: repoProtocols, userDirectories: [user])
        XCTAssertEqual(library.names, ProtocolLibrary.shippedNames + ["soft"])
        XCTAssertEqual(try library.named("soft").steps, [.window(.fullRange), .tone(.gamma(0.5))])
        let entry = try library.entry(named: "soft")
        XCTAssertEqual(entry.source, user.appendingPathComponent("soft.yaml").path)
        XCTAssertEqual(try ProtocolLoader.parse(entry.yaml, file: "copy"), try library.named("soft"), "the kept YAML reproduces the protocol")
        XCTAssertThrowsError(try library.named("missing")) { error in
            XCTAssertTrue("\(error)".contains("higher, high, low, lower, soft"), "\(error)")
        }
    }

    func testUserProtocolCannotShadowAShippedOne() throws {
        let user = try makeTemporaryDirectory(self)
        let url = user.appendingPathComponent("high.yaml")
        try "name: high\nsteps:\n  - step: window\n    source: full_range\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ProtocolLibrary.load(shippedDirectory: repoProtocols, userDirectories: [user])) { error in
            let e = error as? ProtocolError
            XCTAssertEqual(e?.file, url.path)
            XCTAssertEqual(e?.field, "name")
        }
    }

    func testBadUserFileNamesItself() throws {
        let user = try makeTemporaryDirectory(self)
        let url = user.appendingPathComponent("broken.yaml")
        try "name: broken\nsteps:\n  - step: window\n    source: full_range\n  - step: clahe\n    tiles_across: 8\n    tiles_down: 8\n    clip_limit: 0.5\n"
            .write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ProtocolLibrary.load(shippedDirectory: repoProtocols, userDirectories: [user])) { error in
            XCTAssertEqual("\(error)", "\(url.path): steps[1].clip_limit: must be ≥ 1 (a multiple of the mean bin count) or .inf for no clipping, got 0.5")
        }
    }
}
