import Crypto
import Foundation
import Landmarks

/// How landmark names become DICOM codes, and how the toolkit's pixel convention maps to DICOM's.
public enum LandmarkCoding {
    /// The private coding scheme of a schema's landmark names: "99" (private, PS3.16) and the schema's name.
    /// A Coding Scheme Designator holds 16 characters; a longer name keeps its first 9 and a 4-hex-digit hash of
    /// the whole, so two schemas never share a designator. The full name is in the Coding Scheme Name.
    public static func designator(forSchema name: String) -> String {
        let clean = String(name.map { $0 == "\\" || $0.isWhitespace ? "-" : $0 })
        if clean.count <= 14 { return "99" + clean }
        let hash = SHA256.hash(data: Data(name.utf8)).prefix(2).map { String(format: "%02x", $0) }.joined()
        return "99" + clean.prefix(9) + "-" + hash
    }

    /// The Coding Scheme UID of a schema's names: the same for every object written with that schema.
    public static func schemeUID(forSchema name: String) -> String { DeterministicUID.make("LandmarkKit schema \(name)") }

    /// The Device Observer UID of a model: the same for every SR it produced.
    public static func deviceUID(forModel identifier: String) -> String { DeterministicUID.make("LandmarkKit model \(identifier)") }

    /// DICOM image coordinates (SCOORD, GSPS PIXEL units) put (0,0) at the top-left corner of the first pixel,
    /// so its centre is (0.5, 0.5); the toolkit puts pixel centres on integers.
    public static let pixelCentreOffset = 0.5
}
