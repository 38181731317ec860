import Foundation
import XRayIngest

/// The second case of `landmark bench ingest`: one large uncompressed 16-bit file, so decode throughput is measured
/// without codec work and independent of the user's folder.
extension IngestBenchmark {
    /// Stored values of the synthetic `side`×`side` image: a gradient of all 16 bits, so no run of equal values
    /// flatters the hash or the Modality LUT.
    public static func syntheticValues(side: Int) -> [UInt16] {
        (0..<(side * side)).map { UInt16(truncatingIfNeeded: ($0 % side) &* 7 &+ ($0 / side) &* 13) & 0xFFFF }
    }

    /// Writes the synthetic image as explicit VR little endian DICOM.
    public static func writeSyntheticDICOM(side: Int, to url: URL) throws {
        _ = try DICOMWriter(transferSyntax: .explicitVRLittleEndian)
            .write(DICOMWriter.Image(rows: side, columns: side, storedValues: syntheticValues(side: side), bitsStored: 16), to: url)
    }

    /// Times decoding the synthetic file, written into a temporary folder that is removed afterwards.
    public static func runLargeUncompressed(side: Int, repeats: Int) throws -> Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("landmark-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("large.dcm")
        try writeSyntheticDICOM(side: side, to: file)
        return run(files: [file], repeats: repeats, concurrency: 1)
    }
}
