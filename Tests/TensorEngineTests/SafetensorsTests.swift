import Foundation
import XCTest
@testable import TensorEngine

final class SafetensorsTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "safetensors-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func sample() throws -> SafetensorsArchive {
        SafetensorsArchive(tensors: [
            "layer1.0.conv1.weight": try SafetensorsTensor(float32: (0..<24).map { Float($0) * 0.5 - 3 }, shape: [2, 3, 2, 2]),
            "bn1.num_batches_tracked": try SafetensorsTensor(int64: [7], shape: []),
            "empty": try SafetensorsTensor(float32: [], shape: [0, 4]),
            "weird \"name\"\n": try SafetensorsTensor(float32: [1, -2], shape: [2]),
        ], metadata: ["format": "pt", "note": "ümlaut \\ \"q\""])
    }

    /// Builds a file from a raw header string and data, so each corruption can be written exactly.
    private func raw(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        var n = (declaredLength ?? UInt64(h.count)).littleEndian
        var out = withUnsafeBytes(of: &n) { Array($0) }
        out += h
        out += data
        return out
    }

    private func assertCorrupted(_ bytes: [UInt8], contains fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafetensorsArchive.decode(bytes, source: "ckpt/bad.safetensors"), file: file, line: line) { error in
            guard case let .corrupted(name, reason)? = error as? SafetensorsError else {
                return XCTFail("expected .corrupted, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(name, "ckpt/bad.safetensors", file: file, line: line)
            XCTAssertTrue(reason.contains(fragment), "reason '\(reason)' lacks '\(fragment)'", file: file, line: line)
            XCTAssertTrue("\(error)".contains("ckpt/bad.safetensors"), file: file, line: line)
        }
    }

    func testRoundTripInMemoryAndOnDisk() throws {
        let archive = try sample()
        let bytes = try archive.encode()
        let headerLength = bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        XCTAssertEqual((8 + headerLength) % 8, 0, "data section must start 8-byte aligned")
        XCTAssertEqual(try SafetensorsArchive.decode(bytes, source: "mem"), archive)

        let path = directory + "/model.safetensors"
        try archive.write(to: path)
        let back = try SafetensorsArchive.read(from: path)
        XCTAssertEqual(back, archive)
        XCTAssertEqual(back.tensors["layer1.0.conv1.weight"]?.floats()[3], 1.5 - 3 + 0.0)
        XCTAssertEqual(back.tensors["bn1.num_batches_tracked"]?.int64s(), [7])
        XCTAssertEqual(back.metadata["note"], "ümlaut \\ \"q\"")
        // No temporary file may be left behind by the atomic write.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["model.safetensors"])
    }

    func testOverwriteReplacesWholeFile() throws {
        let path = directory + "/m.safetensors"
        try sample().write(to: path)
        let small = SafetensorsArchive(tensors: ["a": try SafetensorsTensor(float32: [1], shape: [1])])
        try small.write(to: path)
        XCTAssertEqual(try SafetensorsArchive.read(from: path), small)
    }

    func testWriteIntoMissingDirectoryFailsWithFileName() throws {
        let path = directory + "/no/such/dir/m.safetensors"
        XCTAssertThrowsError(try sample().write(to: path)) { error in
            guard case let .io(name, _)? = error as? SafetensorsError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, path)
        }
    }

    func testReadsHandWrittenFileWithOtherDTypes() throws {
        // F16 1.0 = 0x3C00, -2.5 = 0xC100; BF16 1.5 = 0x3FC0; F64 0.25.
        var data: [UInt8] = [0x00, 0x3C, 0x00, 0xC1, 0xC0, 0x3F, 0, 0]
        var d = (0.25 as Double).bitPattern.littleEndian
        data += withUnsafeBytes(of: &d) { Array($0) }
        let header = #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]},"d":{"dtype":"F64","shape":[1,1],"data_offsets":[8,16]}}   "#
        let archive = try SafetensorsArchive.decode(raw(header: header, data: data), source: "x")
        XCTAssertEqual(archive.tensors["h"]?.floats(), [1.0, -2.5])
        XCTAssertEqual(archive.tensors["b"]?.floats(), [1.5])
        XCTAssertEqual(archive.tensors["d"]?.floats(), [0.25])
        XCTAssertEqual(halfToFloat(0x0001), Float(sign: .plus, exponent: -24, significand: 1))
        XCTAssertEqual(halfToFloat(0x7C00), .infinity)
    }

    func testTooShortFile() {
        assertCorrupted([1, 2, 3], contains: "too short")
    }

    func testHeaderLengthPastEnd() {
        assertCorrupted(raw(header: "{}", data: [], declaredLength: 4000), contains: "past the end")
    }

    func testHugeHeaderLength() {
        assertCorrupted(raw(header: "{}", data: [], declaredLength: UInt64.max), contains: "limit")
    }

    func testZeroHeaderLength() {
        assertCorrupted(raw(header: "", data: []), contains: "header length is 0")
    }

    func testJSONGarbage() {
        assertCorrupted(raw(header: "{\"a\": [1, 2", data: []), contains: "not valid JSON")
        assertCorrupted(raw(header: "\u{01}\u{02}garbage", data: []), contains: "not valid JSON")
        assertCorrupted(raw(header: "[1,2]", data: []), contains: "not a JSON object")
    }

    func testOffsetsOutOfRange() {
        let h = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        assertCorrupted(raw(header: h, data: [0, 0, 0, 0]), contains: "run past")
        let reversed = #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#
        assertCorrupted(raw(header: reversed, data: [0, 0, 0, 0]), contains: "begin > end")
    }

    func testOffsetsDisagreeWithShape() {
        let h = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        assertCorrupted(raw(header: h, data: [UInt8](repeating: 0, count: 12)), contains: "needs 12 bytes")
    }

    func testOverlappingOffsets() {
        let h = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        assertCorrupted(raw(header: h, data: [UInt8](repeating: 0, count: 12)), contains: "overlap")
    }

    func testTruncatedDataOfRealFile() throws {
        let bytes = try sample().encode()
        assertCorrupted(Array(bytes.dropLast(5)), contains: "truncated")
    }

    func testBadFieldsRejected() {
        assertCorrupted(raw(header: #"{"a":{"dtype":"Q9","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), contains: "unsupported dtype")
        assertCorrupted(raw(header: #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), contains: "invalid dimension")
        assertCorrupted(raw(header: #"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), contains: "invalid dimension")
        assertCorrupted(raw(header: #"{"a":{"dtype":"F32","shape":[1]}}"#, data: [0, 0, 0, 0]), contains: "data_offsets")
        assertCorrupted(raw(header: #"{"__metadata__":{"k":3}}"#, data: []), contains: "not a string")
    }

    func testEveryTruncationOfARealFileFailsCleanly() throws {
        // Any prefix of a valid file must be rejected with an error, never accepted or crash.
        let bytes = try sample().encode()
        for length in stride(from: 0, to: bytes.count, by: 7) {
            XCTAssertThrowsError(try SafetensorsArchive.decode(Array(bytes[0..<length]), source: "p"), "prefix \(length)")
        }
    }

    func testReadMissingFileNamesIt() {
        let path = directory + "/absent.safetensors"
        XCTAssertThrowsError(try SafetensorsArchive.read(from: path)) { error in
            XCTAssertTrue("\(error)".contains(path))
        }
    }

    func testValidationReportsEveryProblem() throws {
        let archive = SafetensorsArchive(tensors: [
            "w": try SafetensorsTensor(float32: [1, 2, 3, 4], shape: [2, 2]),
            "b": try SafetensorsTensor(int64: [1, 2], shape: [2]),
            "extra": try SafetensorsTensor(float32: [0], shape: [1]),
            "ok": try SafetensorsTensor(float32: [0], shape: [1]),
        ])
        let expected: [String: TensorSpec] = [
            "w": TensorSpec(shape: [4]),
            "b": TensorSpec(shape: [2]),
            "gone": TensorSpec(shape: [3]),
            "ok": TensorSpec(shape: [1]),
        ]
        let problems = archive.problems(against: expected)
        XCTAssertEqual(problems, [
            .dtypeMismatch(name: "b", expected: .f32, found: .i64),
            .missing(name: "gone", expected: TensorSpec(shape: [3])),
            .shapeMismatch(name: "w", expected: [4], found: [2, 2]),
            .unexpected(name: "extra", found: TensorSpec(shape: [1])),
        ])
        XCTAssertThrowsError(try archive.validate(against: expected, source: "f.safetensors")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("f.safetensors") && text.contains("4 problems"), text)
        }
        XCTAssertNoThrow(try archive.validate(against: ["w": TensorSpec(shape: [2, 2]), "b": TensorSpec(dtype: .i64, shape: [2]),
                                                        "extra": TensorSpec(shape: [1]), "ok": TensorSpec(dtype: .f16, shape: [1])],
                                              source: "f"))
        XCTAssertEqual(archive.problems(against: ["ok": TensorSpec(dtype: .f16, shape: [1])], strictDTypes: true).first,
                       .dtypeMismatch(name: "ok", expected: .f16, found: .f32))
    }

    func testInvalidTensorConstruction() {
        XCTAssertThrowsError(try SafetensorsTensor(float32: [1, 2, 3], shape: [2, 2]))
        XCTAssertThrowsError(try SafetensorsTensor(dtype: .f32, shape: [-1], bytes: []))
    }
}
