/// The JSON values a safetensors header can hold. A small parser of our own (instead of
/// JSONSerialization) lets us reject duplicate keys and non-integer offsets precisely, and report
/// the byte position of a syntax error.
enum HeaderJSON: Equatable {
    case object([(String, HeaderJSON)])
    case array([HeaderJSON])
    case string(String)
    case integer(Int64)
    case real(Double)
    case bool(Bool)
    case null

    static func == (a: HeaderJSON, b: HeaderJSON) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.real(x), .real(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }
}

struct HeaderJSONSyntaxError: Error {
    let offset: Int
    let reason: String
}

/// Recursive-descent parser over UTF-8 bytes. Depth is bounded so hostile input cannot overflow the stack.
struct HeaderJSONParser {
    private let bytes: [UInt8]
    private var pos = 0
    private static let maxDepth = 64

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func parse(_ bytes: [UInt8]) throws -> HeaderJSON {
        var parser = HeaderJSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.pos != bytes.count { throw parser.error("unexpected trailing characters") }
        return value
    }

    private func error(_ reason: String) -> HeaderJSONSyntaxError { HeaderJSONSyntaxError(offset: pos, reason: reason) }

    private mutating func skipWhitespace() {
        while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard pos < bytes.count, bytes[pos] == byte else {
            throw error("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        pos += 1
    }

    private mutating func parseValue(depth: Int) throws -> HeaderJSON {
        guard depth < HeaderJSONParser.maxDepth else { throw error("nesting too deep") }
        guard pos < bytes.count else { throw error("unexpected end of header") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character")
        }
    }

    private mutating func parseLiteral(_ word: String) throws {
        for b in word.utf8 { try expect(b) }
    }

    private mutating func parseObject(depth: Int) throws -> HeaderJSON {
        try expect(UInt8(ascii: "{"))
        var members: [(String, HeaderJSON)] = []
        var seen = Set<String>()
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
        while true {
            skipWhitespace()
            let keyStart = pos
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw HeaderJSONSyntaxError(offset: keyStart, reason: "duplicate key '\(key)'")
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            guard pos < bytes.count else { throw error("unterminated object") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
            throw error("expected ',' or '}'")
        }
    }

    private mutating func parseArray(depth: Int) throws -> HeaderJSON {
        try expect(UInt8(ascii: "["))
        var items: [HeaderJSON] = []
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard pos < bytes.count else { throw error("unterminated array") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
            throw error("expected ',' or ']'")
        }
    }

    private mutating func parseString() throws -> String {
        try expect(UInt8(ascii: "\""))
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []  // pending UTF-8 run, decoded in one go
        func flush() throws {
            guard !raw.isEmpty else { return }
            guard let s = String(validating: raw, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
            scalars.append(contentsOf: s.unicodeScalars)
            raw.removeAll(keepingCapacity: true)
        }
        while true {
            guard pos < bytes.count else { throw error("unterminated string") }
            let b = bytes[pos]
            pos += 1
            if b == UInt8(ascii: "\"") { try flush(); return String(scalars) }
            if b < 0x20 { throw error("control character in string") }
            if b != UInt8(ascii: "\\") { raw.append(b); continue }
            try flush()
            guard pos < bytes.count else { throw error("unterminated escape") }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                if (0xD800..<0xDC00).contains(code) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate")
                    }
                    pos += 2
                    let low = try parseHex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                scalars.append(scalar)
            default: throw error("invalid escape")
            }
        }
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit")
            }
            v = v * 16 + d
            pos += 1
        }
        return v
    }

    private mutating func parseNumber() throws -> HeaderJSON {
        let start = pos
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        var isInteger = true
        func digits() { while pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) { pos += 1 } }
        let intStart = pos
        digits()
        guard pos > intStart else { throw error("invalid number") }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") { isInteger = false; pos += 1; digits() }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            digits()
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if isInteger, let v = Int64(text) { return .integer(v) }
        guard let d = Double(text) else { throw HeaderJSONSyntaxError(offset: start, reason: "invalid number '\(text)'") }
        return .real(d)
    }
}

/// Writes JSON strings with the escapes the format requires (quotes, backslash, control characters).
func jsonQuoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
