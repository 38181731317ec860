import Foundation

/// Minimal RFC 4180 reading (quoted fields, doubled quotes), keeping 1-based line numbers for error messages.
public enum CSVTable {
    /// One record and the line it starts on.
    public struct Row: Sendable { public var line: Int; public var fields: [String] }

    public static func parse(_ text: String) -> [Row] {
        var rows: [Row] = []
        var field = "", fields: [String] = [], inQuotes = false, line = 1, rowLine = 1, sawAny = false
        var it = Array(text.unicodeScalars)[...]
        func endRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty) {
                rows.append(Row(line: rowLine, fields: fields.map { $0.trimmingCharacters(in: .whitespaces) }))
            }
            fields = []; field = ""; sawAny = false
        }
        while let c = it.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if it.first == "\"" { field.unicodeScalars.append("\""); it.removeFirst() } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"": inQuotes = true; sawAny = true
            case ",": fields.append(field); field = ""; sawAny = true
            case "\r": break
            case "\n": endRow(); line += 1; rowLine = line
            default:
                if !sawAny && field.isEmpty && fields.isEmpty { rowLine = line }
                field.unicodeScalars.append(c); sawAny = true
            }
        }
        if sawAny || !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }
}
