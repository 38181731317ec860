import XCTest
@testable import ContrastProtocols

/// Malformed protocol files are rejected with errors that name the file and the field.
final class ProtocolLoadingTests: XCTestCase {
    private let valid = """
    name: mine
    description: test
    steps:
      - step: window
        source: percentiles
        low: 1
        high: 99
      - step: tone
        curve: gamma
        gamma: 0.8
      - step: clahe
        tiles_across: 4
        tiles_down: 6
        clip_limit: 2.5
      - step: unsharp
        radius_mm: 1.2
        fallback_radius_px: 3
        amount: 0.7
      - step: clamp
    """

    /// Writes `text` as `<dir>/mine.yaml`, loads it and returns the error.
    private func loadError(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> ProtocolError? {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("mine.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        do {
            _ = try ProtocolLoader.load(contentsOf: url)
            XCTFail("loaded a bad protocol", file: file, line: line)
            return nil
        } catch let error as ProtocolError {
            XCTAssertEqual(error.file, url.path, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(url.path), file: file, line: line)
            return error
        }
    }

    private func assertRejected(_ text: String, field: String, mentioning words: String...,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        guard let error = try loadError(text, file: file, line: line) else { return }
        XCTAssertEqual(error.field, field, "\(error)", file: file, line: line)
        for word in words {
            XCTAssertTrue(error.message.contains(word), "\(error) lacks '\(word)'", file: file, line: line)
        }
    }

    private func replacing(_ old: String, _ new: String) -> String {
        precondition(valid.contains(old))
        return valid.replacingOccurrences(of: old, with: new)
    }

    func testValidFileParses() throws {
        let p = try ProtocolLoader.parse(valid, file: "mine.yaml")
        XCTAssertEqual(p.name, "mine")
        XCTAssertEqual(p.steps, [
            .window(.percentiles(low: 1, high: 99)),
            .tone(.gamma(0.8)),
            .clahe(try CLAHEParameters(tilesAcross: 4, tilesDown: 6, clipLimit: 2.5, bins: 256)),
            .unsharp(try UnsharpParameters(radiusMM: 1.2, fallbackRadiusPixels: 3, amount: 0.7)),
            .clamp,
        ])
    }

    func testVOIAndFullRangeAndInfiniteClipParse() throws {
        let text = """
        name: v
        steps:
          - step: window
            source: voi
            voi: lut
            fallback: full_range
          - step: clahe
            tiles_across: 1
            tiles_down: 1
            clip_limit: .inf
            bins: 16
          - step: tone
            curve: sigmoid
            gain: 5
            midpoint: 0.4
        """
        let p = try ProtocolLoader.parse(text, file: "v.yaml")
        XCTAssertEqual(p.steps[0], .window(.voi(prefer: .lut, fallback: .fullRange)))
        XCTAssertEqual(p.steps[1], .clahe(try CLAHEParameters(tilesAcross: 1, tilesDown: 1, clipLimit: .infinity, bins: 16)))
        XCTAssertEqual(p.steps[2], .tone(.sigmoid(gain: 5, midpoint: 0.4)))
        XCTAssertEqual(p.description, "")
    }

    func testUnknownStep() throws {
        try assertRejected(replacing("- step: clamp", "- step: sharpen"), field: "steps[4].step", mentioning: "sharpen", "unsharp")
    }

    func testBadParameters() throws {
        try assertRejected(replacing("clip_limit: 2.5", "clip_limit: -1"), field: "steps[2].clip_limit", mentioning: "-1")
        try assertRejected(replacing("high: 99", "high: 0.5"), field: "steps[0].high", mentioning: "above low")
        try assertRejected(replacing("high: 99", "high: 120"), field: "steps[0].high", mentioning: "[0, 100]")
        try assertRejected(replacing("gamma: 0.8", "gamma: 0"), field: "steps[1].gamma", mentioning: "> 0")
        try assertRejected(replacing("gamma: 0.8", "gamma: -2"), field: "steps[1].gamma")
        try assertRejected(replacing("tiles_down: 6", "tiles_down: 0"), field: "steps[2].tiles_down")
        try assertRejected(replacing("tiles_down: 6", "tiles_down: 2.5"), field: "steps[2].tiles_down", mentioning: "integer")
        try assertRejected(replacing("radius_mm: 1.2", "radius_mm: wide"), field: "steps[3].radius_mm", mentioning: "number")
        try assertRejected(replacing("amount: 0.7", "amount: -0.5"), field: "steps[3].amount")
        try assertRejected(replacing("curve: gamma", "curve: cubic"), field: "steps[1].curve", mentioning: "cubic")
        try assertRejected(replacing("source: percentiles", "source: auto"), field: "steps[0].source", mentioning: "auto")
    }

    func testMissingParameters() throws {
        try assertRejected(replacing("    clip_limit: 2.5\n", ""), field: "steps[2].clip_limit", mentioning: "missing")
        try assertRejected(replacing("    gamma: 0.8\n", ""), field: "steps[1].gamma", mentioning: "missing")
        try assertRejected(replacing("name: mine\n", ""), field: "name", mentioning: "missing")
    }

    func testUnknownAndMisplacedKeys() throws {
        try assertRejected(replacing("clip_limit: 2.5", "clip_limt: 2.5"), field: "steps[2].clip_limt", mentioning: "unknown key", "clip_limit")
        try assertRejected(replacing("description: test", "description: test\nauthor: me"), field: "author", mentioning: "unknown key")
        try assertRejected(replacing("curve: gamma", "curve: linear"), field: "steps[1].gamma", mentioning: "does not apply")
        try assertRejected(replacing("- step: clamp", "- step: clamp\n    min: 0.1"), field: "steps[4].min")
    }

    func testPipelineRules() throws {
        let noWindowFirst = """
        name: mine
        steps:
          - step: tone
            curve: linear
          - step: window
            source: full_range
        """
        try assertRejected(noWindowFirst, field: "steps[0].step", mentioning: "first step must be 'window'")
        let twoWindows = """
        name: mine
        steps:
          - step: window
            source: full_range
          - step: window
            source: full_range
        """
        try assertRejected(twoWindows, field: "steps[1].step", mentioning: "only one window")
        try assertRejected("name: mine\nsteps: []\n", field: "steps", mentioning: "window")
        try assertRejected(replacing("name: mine", "name: other"), field: "name", mentioning: "file name")
        try assertRejected(replacing("name: mine", "name: My Protocol"), field: "name")
    }

    func testBadYAML() throws {
        try assertRejected("name: mine\nsteps:\n  - step: window\n   source: [unclosed\n", field: "(yaml)")
        try assertRejected("", field: "(yaml)", mentioning: "empty")
        try assertRejected("- just\n- a list\n", field: "(top level)", mentioning: "mapping")
        try assertRejected("name: mine\nsteps: 3\n", field: "steps", mentioning: "list")
        try assertRejected("name: mine\nsteps:\n  - 42\n", field: "steps[0]", mentioning: "mapping")
    }
}
