import Charts
import Foundation
import XCTest
@testable import RunArtefacts

/// The difficulty record of an AFL run read back, summarised as the paper's figure 3, and scored against
/// known hard samples.
final class DifficultyFigureTests: XCTestCase {
    func testLogReadsQuotedIDsAndRejectsBadRows() throws {
        let log = try DifficultyLog.parse("epoch,image,difficulty\n1,\"a,1\",0.25\n2,\"a,1\",0.75\n1,b,0.5\n")
        XCTAssertEqual(log.series.map(\.image), ["a,1", "b"])
        XCTAssertEqual(log.series[0].points.map(\.difficulty), [0.25, 0.75])
        XCTAssertEqual(log.epochs, [1, 2])
        XCTAssertEqual(log.scores(epoch: 2), ["a,1": 0.75])
        XCTAssertThrowsError(try DifficultyLog.parse("epoch,image,difficulty\nx,a,0.5\n")) { error in
            XCTAssertEqual((error as? DifficultyLog.ParseError)?.line, 2)
        }
        XCTAssertThrowsError(try DifficultyLog.parse("epoch,file,score\n1,a,0.5\n"))
    }

    /// Ranked by the mean of the last quarter of epochs: with 8 epochs, epochs 7 and 8.
    func testExtremesRankByLateMean() throws {
        var rows = ["epoch,image,difficulty"]
        // a ends high but dips in its last epoch; c spikes only in its last epoch.
        let curves: [String: [Double]] = ["a": [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.95, 0.55],
                                          "b": [0.5, 0.4, 0.3, 0.2, 0.2, 0.1, 0.1, 0.1],
                                          "c": [0.5, 0.3, 0.3, 0.3, 0.3, 0.3, 0.1, 0.6]]
        for (image, values) in curves { for (e, v) in values.enumerated() { rows.append("\(e + 1),\(image),\(v)") } }
        let log = try DifficultyLog.parse(rows.joined(separator: "\n"))
        XCTAssertEqual(log.series.first { $0.image == "a" }!.lateMean, 0.75, accuracy: 1e-12)
        XCTAssertEqual(log.series.first { $0.image == "c" }!.lateMean, 0.35, accuracy: 1e-12)
        let (easy, hard) = log.extremes(count: 1)
        XCTAssertEqual(easy.map(\.image), ["b"])
        // By the last epoch alone c (0.6) would beat a (0.55).
        XCTAssertEqual(hard.map(\.image), ["a"])
    }

    /// σ = 1 epoch on [0, 1, 0]: the middle point is (e^-½·0 + 1 + e^-½·0) / (1 + 2e^-½), and the ends are
    /// renormalised over their two neighbours in range.
    func testSmoothingByHand() {
        let s = DifficultyLog.Series(image: "x", points: [.init(epoch: 1, difficulty: 0), .init(epoch: 2, difficulty: 1),
                                                          .init(epoch: 3, difficulty: 0)])
        let w = exp(-0.5), w2 = exp(-2.0)
        let smooth = s.smoothed(sigma: 1).map(\.difficulty)
        XCTAssertEqual(smooth[1], 1 / (1 + 2 * w), accuracy: 1e-12)
        XCTAssertEqual(smooth[0], w / (1 + w + w2), accuracy: 1e-12)
        XCTAssertEqual(smooth[2], smooth[0], accuracy: 1e-12)
        XCTAssertEqual(s.smoothed(sigma: 0), s.points)
    }

    /// Hand-counted Mann–Whitney: positives {0.9, 0.5}, negatives {0.5, 0.1, 0.3}. Pairs won: 0.9 beats all 3;
    /// 0.5 beats 0.1 and 0.3 and ties 0.5 (½) → (3 + 2.5) / 6.
    func testROCAUCByHand() {
        XCTAssertEqual(DifficultySeparation.rocAUC(positives: [0.9, 0.5], negatives: [0.5, 0.1, 0.3])!, 5.5 / 6, accuracy: 1e-12)
        XCTAssertEqual(DifficultySeparation.rocAUC(positives: [0.8, 0.9], negatives: [0.1, 0.2]), 1)
        XCTAssertEqual(DifficultySeparation.rocAUC(positives: [0.1], negatives: [0.8, 0.9]), 0)
        XCTAssertEqual(DifficultySeparation.rocAUC(positives: [0.5, 0.5], negatives: [0.5]), 0.5)
        XCTAssertNil(DifficultySeparation.rocAUC(positives: [], negatives: [0.5]))
    }

    func testSeparationPerEpochAndItsTable() throws {
        let log = try DifficultyLog.parse("""
            epoch,image,difficulty
            1,h1,0.5
            1,h2,0.5
            1,e1,0.5
            2,h1,0.9
            2,h2,0.7
            2,e1,0.2
            """)
        let rows = DifficultySeparation.perEpoch(log, hard: ["h1", "h2", "not-logged"])
        XCTAssertEqual(rows.map(\.epoch), [1, 2])
        XCTAssertEqual(rows[0].auc, 0.5)
        XCTAssertEqual(rows[1].auc, 1)
        XCTAssertEqual(rows[1].hardMean!, 0.8, accuracy: 1e-12)
        XCTAssertEqual(rows[1].easyMean!, 0.2, accuracy: 1e-12)
        XCTAssertEqual(rows[1].hardCount, 2)
        XCTAssertEqual(rows[1].easyCount, 1)
        // Against an explicit easy group, images in neither group are left out.
        let versusE1 = DifficultySeparation.perEpoch(log, hard: ["h2"], easy: ["e1"])
        XCTAssertEqual(versusE1.map(\.easyCount), [1, 1])
        XCTAssertEqual(versusE1.map(\.auc), [0.5, 1])
        XCTAssertEqual(DifficultySeparation.csv(rows), """
            epoch,auc,hard_mean,easy_mean,hard_count,easy_count
            1,0.5000,0.5000,0.5000,2,1
            2,1.0000,0.8000,0.2000,2,1

            """)
    }

    /// Scores bunched near ½ get a zoomed band on 0.05 steps; once they spread over half the range, 0…1.
    func testYAxisZoomsOnANarrowBandOnly() {
        func series(_ v: [Double]) -> DifficultyLog.Series {
            .init(image: "s", points: v.enumerated().map { .init(epoch: $0.offset + 1, difficulty: $0.element) })
        }
        let narrow = DifficultyChart.yRange([series([0.47, 0.49]), series([0.52])])
        XCTAssertEqual(narrow.bottom, 0.4, accuracy: 1e-12)
        XCTAssertEqual(narrow.top, 0.55, accuracy: 1e-12)
        let wide = DifficultyChart.yRange([series([0.1, 0.9])])
        XCTAssertEqual(wide.bottom, 0)
        XCTAssertEqual(wide.top, 1)
    }

    /// Two panels (easy, hard), each with a faint raw and a bold smoothed curve per sample, names in the legend.
    func testChartHasBothPanelsRawAndSmoothedCurves() throws {
        var rows = ["epoch,image,difficulty"]
        for e in 1...6 {
            for (i, image) in ["p1", "p2", "p3", "p4"].enumerated() { rows.append("\(e),\(image),\(0.2 * Double(i) + 0.01 * Double(e))") }
        }
        let svg = DifficultyChart.svg(try DifficultyLog.parse(rows.joined(separator: "\n")), id: "fig", count: 2, subtitle: "AUC 0.9")
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertEqual(svg.components(separatedBy: "class=\"series\"").count - 1, 4)
        XCTAssertEqual(svg.components(separatedBy: "class=\"raw\"").count - 1, 4)
        XCTAssertTrue(svg.contains("Easiest 2 samples") && svg.contains("Hardest 2 samples") && svg.contains("AUC 0.9"))
        // Easiest are p1, p2 (lowest scores); hardest p4, p3.
        for image in ["p1", "p2", "p3", "p4"] { XCTAssertTrue(svg.contains(">\(image)</text>"), image) }
    }
}
