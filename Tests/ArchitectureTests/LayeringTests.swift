import Foundation
import XCTest

/// The layering of docs/ARCHITECTURE.md, enforced: every target depends only on targets of lower layers, and
/// every source file imports only the package targets its own target declares. A new target must be given a
/// layer here and in the doc.
final class LayeringTests: XCTestCase {
    /// Lower layers first; a target may depend on any target of a lower layer, never on its own or a higher one.
    static let layers: [[String]] = [
        ["COpenBLAS", "CRsvg", "CMPI", "CTIFF", "CPNG", "COpenJPEG", "CLibXML2", "CVectorKernels"],
        ["CDicomBridge", "CSVGRaster", "CImageIO", "FileOutput", "ParallelWork", "TestSupport"],
        ["XRayIngest", "TensorEngine", "Charts", "Cluster"],
        ["ContrastProtocols", "DetectorModel"],
        ["Landmarks"],
        ["RunArtefacts"],
        ["ClinicalDICOM", "Training"],
        ["Inference", "Benchmarks"],
        ["Reporting"],
        ["LandmarkCLI"],
    ]

    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Target name → the package targets it lists as dependencies (products of other packages left out).
    private func declaredTargets() throws -> [String: Set<String>] {
        var text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        text = text.replacingOccurrences(of: #"\.product\([^)]*\)"#, with: "", options: .regularExpression)
        var out: [String: Set<String>] = [:]
        let decl = try NSRegularExpression(pattern: #"\.(target|executableTarget|systemLibrary|testTarget)\(\s*name:\s*"(\w+)""#)
        let ns = text as NSString
        let matches = decl.matches(in: text, range: NSRange(location: 0, length: ns.length))
        for (i, m) in matches.enumerated() {
            let name = ns.substring(with: m.range(at: 2))
            let end = i + 1 < matches.count ? matches[i + 1].range.location : ns.length
            let body = ns.substring(with: NSRange(location: m.range.location, length: end - m.range.location))
            var deps = Set<String>()
            if let open = body.range(of: "dependencies: [") {
                var depth = 1, idx = open.upperBound
                while depth > 0, idx < body.endIndex {
                    if body[idx] == "[" { depth += 1 } else if body[idx] == "]" { depth -= 1 }
                    idx = body.index(after: idx)
                }
                let list = String(body[open.upperBound..<idx])
                let quoted = try NSRegularExpression(pattern: #""(\w+)""#)
                for q in quoted.matches(in: list, range: NSRange(list.startIndex..., in: list)) {
                    deps.insert(String(list[Range(q.range(at: 1), in: list)!]))
                }
            }
            out[name] = deps
        }
        return out
    }

    private func layer(of target: String) -> Int? { Self.layers.firstIndex { $0.contains(target) } }

    func testEveryTargetHasALayerAndDependsOnlyDownward() throws {
        let targets = try declaredTargets()
        XCTAssertGreaterThan(targets.count, 10, "Package.swift was not parsed")
        for (name, deps) in targets where !name.hasSuffix("Tests") {
            guard let l = layer(of: name) else { XCTFail("\(name) has no layer in LayeringTests and docs/ARCHITECTURE.md"); continue }
            for d in deps where targets[d] != nil {   // other packages' products (Yams) sit outside the layers
                guard let dl = layer(of: d) else { XCTFail("\(name) depends on \(d), which has no layer"); continue }
                XCTAssertLessThan(dl, l, "\(name) (layer \(l)) must not depend on \(d) (layer \(dl))")
            }
        }
    }

    func testSourcesImportOnlyTheirDeclaredTargets() throws {
        let targets = try declaredTargets()
        let packageTargets = Set(targets.keys)
        let sources = root.appendingPathComponent("Sources")
        for name in try FileManager.default.contentsOfDirectory(atPath: sources.path) where targets[name] != nil {
            let allowed = targets[name]!
            let files = FileManager.default.enumerator(at: sources.appendingPathComponent(name), includingPropertiesForKeys: nil)!
            for case let file as URL in files where file.pathExtension == "swift" {
                for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") where line.hasPrefix("import ") {
                    let module = line.dropFirst("import ".count).trimmingCharacters(in: .whitespaces)
                    guard packageTargets.contains(module) else { continue }
                    XCTAssertTrue(allowed.contains(module), "\(name)/\(file.lastPathComponent) imports \(module), which \(name) does not declare")
                }
            }
        }
    }

    /// The check itself can fail: an upward dependency is caught.
    func testAnUpwardDependencyWouldBeCaught() {
        XCTAssertLessThan(layer(of: "XRayIngest")!, layer(of: "Reporting")!)
        XCTAssertFalse(layer(of: "Reporting")! < layer(of: "Training")!, "Reporting above Training: Training may not import it")
    }
}
