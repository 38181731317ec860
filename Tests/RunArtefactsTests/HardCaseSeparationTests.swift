import XCTest
@testable import RunArtefacts

/// Each kind of hard case is scored against the plain images only, at the last logged epoch.
final class HardCaseSeparationTests: XCTestCase {
    func testEachKindAgainstThePlainImagesAtTheLastEpoch() throws {
        // Epoch 1 would give kind a an AUC of 0; only epoch 2 counts.
        let log = try DifficultyLog.parse("""
        epoch,image,difficulty
        1,x1,0.1
        1,x2,0.1
        1,p1,0.9
        2,x1,0.9
        2,x2,0.6
        2,y1,0.1
        2,p1,0.5
        2,p2,0.7
        2,other,0.99
        """)
        // "other" is neither plain nor of a kind: it must not count as an easy image.
        let result = try XCTUnwrap(HardCaseSeparation.atLastEpoch(log, kinds: [("a", ["x1", "x2"]), ("b", ["y1"])], plain: ["p1", "p2"]))
        XCTAssertEqual(result.epoch, 2)
        XCTAssertEqual(result.rows.map(\.kind), ["a", "b"])
        // a: x1 beats both plain scores, x2 beats 0.5 but not 0.7 → 3 of 4 pairs.
        XCTAssertEqual(try XCTUnwrap(result.rows[0].separation.auc), 0.75, accuracy: 1e-12)
        XCTAssertEqual(result.rows[0].separation.hardCount, 2)
        XCTAssertEqual(result.rows[0].separation.easyCount, 2)
        XCTAssertEqual(try XCTUnwrap(result.rows[0].separation.easyMean), 0.6, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(result.rows[1].separation.auc), 0, accuracy: 1e-12)
        XCTAssertNil(HardCaseSeparation<String>.atLastEpoch(try DifficultyLog.parse("epoch,image,difficulty\n"), kinds: [], plain: []))
    }
}
