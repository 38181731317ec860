import ContrastProtocols
import Foundation
import XRayIngest

/// Contrast through the shipped (or user) protocols of ContrastProtocols, as a `ContrastApplier`.
public enum ProtocolContrast {
    /// Protocol used when a sample names none (evaluation, no augmentation).
    public static let defaultProtocol = "high"

    /// Resolves every name up front, so a misspelt protocol fails when the pipeline is built, not mid-epoch.
    public static func applier(library: ProtocolLibrary, names: [String] = ProtocolLibrary.shippedNames,
                               defaultName: String = defaultProtocol) throws -> ContrastApplier {
        var table: [String: ContrastProtocol] = [:]
        for n in Set(names + [defaultName]) { table[n] = try library.named(n) }
        let fixed = table
        return { image, name in
            let key = name ?? defaultName
            // A name outside the prepared set is looked up late; the library's error lists what exists.
            let p = try fixed[key] ?? library.named(key)
            let out = p.apply(to: image)
            return GrayImage(width: out.columns, height: out.rows, pixels: out.pixels)
        }
    }

    /// The shipped protocols, from `protocols/` when found, else the embedded copies.
    public static func shipped() throws -> ContrastApplier { try applier(library: ProtocolLibrary.load()) }
}
