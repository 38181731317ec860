import Foundation
import TestSupport
import XCTest
import XRayIngest
@testable import Reporting

/// Renders report.html in headless Chromium and checks the screenshot: not blank, and the charts drew pixels
/// where the browser laid them out. Fails (never skips) when no Chromium is installed: scripts/setup.sh installs it.
final class BrowserRenderTests: XCTestCase {
    static func chromium() throws -> String {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        return try XCTUnwrap(candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
                             "no Chromium found (apt-get install -y chromium; scripts/setup.sh lists it)")
    }

    @discardableResult
    static func runChromium(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try chromium())
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
                             "--user-data-dir=" + FileManager.default.temporaryDirectory.appendingPathComponent("ldk-chromium-\(UUID().uuidString)").path]
            + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "chromium \(arguments.last ?? "")")
        return String(decoding: data, as: UTF8.self)
    }

    /// Lays report.html out at `width` px with every <details> open and returns what does not fit: each table,
    /// chart, scroll box or block whose right edge passes the window or whose content is wider than its box
    /// (a `.scroll` box would hide that from the page's own scroll width), plus the page's scroll width.
    static func overflow(of html: URL, width: Int) throws -> (pageWidth: Int, wide: [String]) {
        let probe = """
        <script>addEventListener('load',()=>{document.querySelectorAll('details').forEach(d=>d.open=true);\
        const w=document.documentElement.clientWidth,wide=[];\
        document.querySelectorAll('table,svg.chart,.scroll,.charts,figure,p,ul,h1,h2,h3').forEach(e=>{const r=e.getBoundingClientRect();\
        const inner=e.tagName.toLowerCase()==='svg'?0:e.scrollWidth-e.clientWidth;\
        if(r.right>w+0.5||inner>0)wide.push(e.tagName.toLowerCase()+(e.id?'#'+e.id:'')+' '+Math.round(r.left)+'..'+Math.round(r.right)+' content '+e.scrollWidth)});\
        document.documentElement.setAttribute('data-fit',JSON.stringify({page:document.documentElement.scrollWidth,wide:wide}))});</script></body>
        """
        let probed = html.deletingLastPathComponent().appendingPathComponent("fit-probe.html")
        try String(contentsOf: html, encoding: .utf8).replacingOccurrences(of: "</body>", with: probe)
            .write(to: probed, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: probed) }
        let dom = try runChromium(["--window-size=\(width),1000", "--dump-dom", probed.absoluteString])
        let attr = try XCTUnwrap(dom.range(of: #"data-fit="([^"]*)""#, options: .regularExpression), "layout probe missing")
        let json = String(dom[attr].dropFirst("data-fit=\"".count).dropLast()).replacingOccurrences(of: "&quot;", with: "\"")
        struct Fit: Decodable { var page: Int; var wide: [String] }
        let fit = try JSONDecoder().decode(Fit.self, from: Data(json.utf8))
        return (fit.page, fit.wide)
    }

    /// At a 1280 px window no table or chart of a full-size comparison (two models, four protocols,
    /// 37 landmarks, three-digit counts) is wider than the page, and nothing needs its own scroll bar.
    func testWideReportFitsA1280PixelWindow() throws {
        let out = try Scratch.directory("fit")
        defer { try? FileManager.default.removeItem(at: out) }
        let data = try WideReportCase.data()
        try ReportWriter.write(data: data, tables: ReportTables(data), worstCases: [], notes: [], to: out)
        let html = out.appendingPathComponent(ReportWriter.htmlFile)
        let fit = try Self.overflow(of: html, width: 1280)
        XCTAssertEqual(fit.pageWidth, 1280, "the page scrolls sideways")
        XCTAssertEqual(fit.wide, [], "wider than a 1280 px window")

        // The probe must be able to see an overflow, or an empty list proves nothing: a narrow window has one.
        XCTAssertFalse(try Self.overflow(of: html, width: 480).wide.isEmpty, "at 480 px the summary table cannot fit")
    }

    func testChromiumRendersChartsAndTables() throws {
        let (_, result, out) = try ReportJobFixture.shared.get()
        let html = try String(contentsOf: out.appendingPathComponent(ReportWriter.htmlFile), encoding: .utf8)
        var ids = [ReportCharts.falseNegativesID, ReportCharts.difficultyID("afl-run")]
        for p in result.data.protocols { ids += [ReportCharts.sweepID(p), ReportCharts.landmarkErrorID(p)] }
        for id in ids { XCTAssertTrue(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(id)\""), id) }

        // A copy that writes each chart's layout box into the DOM, so the screenshot can be checked where the charts are.
        let probe = """
        <script>addEventListener('load',()=>{const b={};document.querySelectorAll('svg.chart').forEach(s=>{const r=s.getBoundingClientRect();\
        b[s.id]=[Math.round(r.left),Math.round(r.top),Math.round(r.width),Math.round(r.height)]});\
        document.documentElement.setAttribute('data-boxes',JSON.stringify(b))});</script></body>
        """
        let probed = out.appendingPathComponent("probe.html")
        try html.replacingOccurrences(of: "</body>", with: probe).write(to: probed, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: probed) }
        let dom = try Self.runChromium(["--window-size=1280,2000", "--dump-dom", probed.absoluteString])
        let attr = try XCTUnwrap(dom.range(of: #"data-boxes="([^"]*)""#, options: .regularExpression), "layout probe missing")
        let json = String(dom[attr].dropFirst("data-boxes=\"".count).dropLast()).replacingOccurrences(of: "&quot;", with: "\"")
        let boxes = try JSONDecoder().decode([String: [Int]].self, from: Data(json.utf8))
        XCTAssertEqual(Set(boxes.keys), Set(ids), "every chart is laid out")

        let shot = out.appendingPathComponent("screenshot.png")
        try Self.runChromium(["--window-size=1280,2000", "--screenshot=\(shot.path)", probed.absoluteString])
        let png = try PNGReader.readRGB(shot)
        XCTAssertEqual([png.width, png.height], [1280, 2000])
        print("report screenshot: \(shot.path)")

        let bytes = png.bytes
        func stats(_ x0: Int, _ y0: Int, _ w: Int, _ h: Int) -> (variance: Double, blue: Int) {
            var sum = 0.0, sq = 0.0, n = 0.0, blue = 0
            for y in max(0, y0)..<min(png.height, y0 + h) {
                for x in max(0, x0)..<min(png.width, x0 + w) {
                    let i = 3 * (y * png.width + x)
                    let v = (Double(bytes[i]) + Double(bytes[i + 1]) + Double(bytes[i + 2])) / 3
                    sum += v; sq += v * v; n += 1
                    // The first series colour #1f77b4, allowing for anti-aliasing.
                    if abs(Int(bytes[i]) - 0x1f) < 24 && abs(Int(bytes[i + 1]) - 0x77) < 24 && abs(Int(bytes[i + 2]) - 0xb4) < 24 { blue += 1 }
                }
            }
            return n > 0 ? (sq / n - (sum / n) * (sum / n), blue) : (0, 0)
        }
        XCTAssertGreaterThan(stats(0, 0, png.width, png.height).variance, 100, "the page is not blank")
        var checked = 0
        for (id, b) in boxes where b[1] + b[3] <= png.height {
            let s = stats(b[0], b[1], b[2], b[3])
            XCTAssertGreaterThan(s.variance, 50, "\(id) drew something")
            if id == ReportCharts.falseNegativesID || id.hasPrefix("chart-sweep") {
                XCTAssertGreaterThan(s.blue, 20, "\(id) shows the first model's series in its colour")
            }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 2, "at least the FN chart and one sweep fit in the first 2000 px")
    }
}
