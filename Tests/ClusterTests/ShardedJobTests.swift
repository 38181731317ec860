import Foundation
import TestSupport
import XCTest

/// `mpirun -np 2 landmark infer` and `landmark report` write what one process writes, but for timings and
/// `world_size`.
final class ShardedJobTests: XCTestCase {
    func testShardedInferenceAndReportMatchOneProcess() throws {
        let dir = try Scratch.directory("infer")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try MPIJob.phantom(in: dir)
        try MPIJob.run(MPIJob.trainArguments(out: "run", epochs: 1), in: dir)

        // 12 images in batches of 4 (the default): the ranks take whole batches, 8 and 4.
        for (out, ranks) in [("infer-1", nil), ("infer-2", MPIJob.ranks)] as [(String, Int?)] {
            try MPIJob.run(["infer", "run/model", "ds/images", "--out", out, "--threads", "1", "--labelme", "--dicom-sr"],
                           ranks: ranks, in: dir)
        }
        // Every image's LabelMe file and SR, whichever rank decoded it, is written by rank 0.
        for folder in ["labelme", "dicom-sr"] {
            let a = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("infer-1/\(folder)").path).sorted()
            let b = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("infer-2/\(folder)").path).sorted()
            XCTAssertGreaterThanOrEqual(a.count, 12, folder)
            XCTAssertEqual(a, b, "\(folder) differs between 1 and 2 ranks")
        }
        for file in ["landmarks.csv", "predictions.coco.json"] {
            let one = try Data(contentsOf: dir.appendingPathComponent("infer-1/\(file)"))
            let two = try Data(contentsOf: dir.appendingPathComponent("infer-2/\(file)"))
            XCTAssertGreaterThan(one.count, 1000, file)
            XCTAssertEqual(one, two, "\(file) differs between 1 and 2 ranks")
        }
        var one = try summary(dir, "infer-1"), two = try summary(dir, "infer-2")
        XCTAssertEqual(one["world_size"] as? Int, 1)
        XCTAssertEqual(two["world_size"] as? Int, 2)
        XCTAssertEqual(two["imagesDone"] as? Int, 12)
        for timing in ["seconds", "networkSeconds", "waitingForInputSeconds", "imagesPerSecond", "world_size"] {
            one[timing] = nil; two[timing] = nil
        }
        XCTAssertEqual(NSDictionary(dictionary: one), NSDictionary(dictionary: two), "summary.json apart from timings")

        for (out, ranks) in [("report-1", nil), ("report-2", MPIJob.ranks)] as [(String, Int?)] {
            try MPIJob.run(["report", "run", "ds", "--split", "all", "--protocols", "high", "--worst", "2", "--out", out,
                            "--threads", "1"], ranks: ranks, in: dir)
        }
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("report-1").path).sorted()
        XCTAssertTrue(files.contains("report.csv") && files.contains { $0.hasSuffix("worst-2.png") }, "\(files)")
        for file in files where file != "report-config.json" {
            var isDirectory: ObjCBool = false
            let a = dir.appendingPathComponent("report-1/\(file)")
            guard FileManager.default.fileExists(atPath: a.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            XCTAssertEqual(try Data(contentsOf: a), try Data(contentsOf: dir.appendingPathComponent("report-2/\(file)")),
                           "report file \(file) differs between 1 and 2 ranks")
        }
        let config = try String(contentsOf: dir.appendingPathComponent("report-2/report-config.json"), encoding: .utf8)
        XCTAssertTrue(config.contains("\"world_size\" : 2"), config)
    }

    private func summary(_ dir: URL, _ out: String) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent("\(out)/summary.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
