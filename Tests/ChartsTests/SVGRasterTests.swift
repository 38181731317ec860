import Charts
import Foundation
import XCTest
import XRayIngest

/// Charts rendered to PNG through librsvg: the pixels are the drawing, and failures name the file.
final class SVGRasterTests: XCTestCase {
    private func tempDir() throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("ldk-svgraster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    /// A 100×50 SVG with a red left half, at scale 2: a 200×100 PNG, red on the left, white on the right.
    func testRendersAtScaleOntoWhite() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = ##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect x="0" y="0" width="50" height="50" fill="#ff0000"/></svg>"##
        let url = dir.appendingPathComponent("half.png")
        try SVGRaster.writePNG(svg: svg, to: url, scale: 2)
        let png = try PNGReader.readRGB(url)
        XCTAssertEqual(png.width, 200)
        XCTAssertEqual(png.height, 100)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(png.bytes[(y * png.width + x) * 3..<(y * png.width + x) * 3 + 3]) }
        XCTAssertEqual(pixel(20, 50), [255, 0, 0])
        XCTAssertEqual(pixel(180, 50), [255, 255, 255])
        // Nothing but the PNG is left in the folder (the temporary file was renamed).
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["half.png"])
    }

    func testLineChartRendersItsLines() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let chart = LineChart(id: "c", title: "t", xLabel: "x", yLabel: "y",
                              lines: [.init(name: "green", points: [(x: 0, y: 0), (x: 1, y: 1)], color: "#00c000")])
        let url = dir.appendingPathComponent("chart.png")
        try SVGRaster.writePNG(svg: chart.svg(), to: url, scale: 1)
        let png = try PNGReader.readRGB(url)
        XCTAssertEqual(png.width, Int(LineChart.size.width))
        var green = 0
        for i in stride(from: 0, to: png.bytes.count, by: 3) where png.bytes[i + 1] > 150 && png.bytes[i] < 80 && png.bytes[i + 2] < 80 { green += 1 }
        XCTAssertGreaterThan(green, 300, "the diagonal line should leave hundreds of green pixels")
    }

    func testBrokenSVGFailsNamingTheFileAndLeavesNothing() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("broken.png")
        XCTAssertThrowsError(try SVGRaster.writePNG(svg: "<svg><unclosed", to: url)) { error in
            XCTAssertTrue("\(error)".contains("broken.png"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }
}

/// Bar charts wrap many categories onto rows instead of growing wider than a report page.
final class GroupedBarChartTests: XCTestCase {
    private func width(_ svg: String) -> Double {
        let attr = svg.components(separatedBy: " width=\"")[1].prefix { $0 != "\"" }
        return Double(attr)!
    }

    func testManyCategoriesWrapOntoRowsWithEveryBar() {
        let names = (1...37).map { "landmark_\($0)" }
        let chart = GroupedBarChart(id: "b", title: "t", valueLabel: "mm", categories: names,
                                    series: [("a", names.indices.map { Double($0) + 1 }), ("b", names.indices.map { _ in 2 })])
        let svg = chart.svg()
        XCTAssertLessThanOrEqual(width(svg), GroupedBarChart.maxWidth)
        XCTAssertEqual(svg.components(separatedBy: "class=\"bar\"").count - 1, 74, "every bar drawn")
        for n in names { XCTAssertTrue(svg.contains(">\(n)</text>"), n) }
        // Two rows: two value axes, each labelled.
        XCTAssertEqual(svg.components(separatedBy: ">mm</text>").count - 1, 2)
    }

    func testFewCategoriesStayOnOneRow() {
        let svg = GroupedBarChart(id: "b", title: "t", valueLabel: "FN", categories: ["higher", "high", "low", "lower"],
                                  series: [("m", [1, 2, nil, 4])]).svg()
        XCTAssertEqual(svg.components(separatedBy: ">FN</text>").count - 1, 1)
        XCTAssertEqual(svg.components(separatedBy: "class=\"bar\"").count - 1, 3, "a missing value draws no bar")
    }
}
