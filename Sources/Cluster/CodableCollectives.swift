import Foundation

/// Values exchanged between ranks as JSON: results are small next to images, and JSON keeps the ranks'
/// merge independent of memory layout.
extension Communicator {
    /// Every rank's value, in rank order, on every rank.
    public func allgather<T: Codable>(_ value: T) throws -> [T] {
        try allgather(Self.encode(value)).map(Self.decode)
    }

    /// Every rank's value, in rank order, on `root`; nil elsewhere.
    public func gather<T: Codable>(_ value: T, root: Int = 0) throws -> [T]? {
        try gather(Self.encode(value), root: root)?.map(Self.decode)
    }

    /// `root`'s value on every rank.
    public func broadcast<T: Codable>(_ value: T, root: Int = 0) throws -> T {
        try Self.decode(broadcast(Self.encode(value), root: root))
    }

    // Non-finite numbers (a diverging prediction's confidence, say) must cross too; JSON has no spelling for them.
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return [UInt8](try encoder.encode(value))
    }

    static func decode<T: Decodable>(_ bytes: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(T.self, from: Data(bytes))
    }
}
