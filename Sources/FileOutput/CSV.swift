/// RFC 4180 text for every CSV the toolkit writes (landmarks, reports, metrics, ingest inventories).
public enum CSV {
    /// The field as written: quoted only when it holds a comma, a quote, CR or LF, with quotes doubled.
    public static func field(_ s: String) -> String {
        // Unicode scalars, not Characters: Swift reads "\r\n" as one Character equal to neither "\r" nor "\n".
        guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, without its line ending.
    public static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }
}
