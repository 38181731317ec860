import Foundation
import TensorEngine
import XCTest

/// Fixture files written by scripts/make_fpn_fixture.py, shipped as test resources.
enum Fixtures {
    static func path(_ name: String) throws -> String {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard let url = Bundle.module.url(forResource: parts[0], withExtension: parts[1], subdirectory: "Fixtures") else {
            throw FixtureError("fixture \(name) missing from the test bundle")
        }
        return url.path
    }

    static func archive(_ name: String) throws -> SafetensorsArchive {
        try SafetensorsArchive.read(from: try path(name))
    }
}

/// A missing fixture file or entry: the test fails with this error (it is never skipped).
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

extension SafetensorsArchive {
    func tensor(_ name: String) throws -> Tensor {
        guard let t = tensors[name] else { throw FixtureError("fixture tensor '\(name)' missing") }
        return Tensor(t.floats(), shape: t.shape)
    }
}

/// max|a − b| / max|b|: the parity measure the project uses (scale-free, robust to near-zero entries).
func relativeMaxError(_ a: Tensor, _ b: Tensor) -> Double {
    precondition(a.shape == b.shape, "relativeMaxError: \(a.shape) vs \(b.shape)")
    let x = a.toArray(), y = b.toArray()
    var diff = 0.0, scale = 0.0
    for (u, v) in zip(x, y) {
        diff = max(diff, Double(abs(u - v)))
        scale = max(scale, Double(abs(v)))
    }
    return scale == 0 ? diff : diff / scale
}
