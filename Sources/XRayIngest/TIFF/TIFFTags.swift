/// TIFF 6.0 tag values this package reads and writes. Spelled out here because libtiff's
/// macros are not exported through the C shim's header.
public enum TIFFCompression: UInt16, Sendable, CaseIterable {
    case none = 1
    case lzw = 5
    case deflate = 8        // Adobe Deflate; libtiff also reads the old 32946 code
    case packBits = 32773
}

enum TIFFSampleFormat {
    static let unsignedInteger: UInt16 = 1
    static let signedInteger: UInt16 = 2
    static let ieeeFloat: UInt16 = 3
}

enum TIFFPhotometric {
    static let minIsWhite: UInt16 = 0
    static let minIsBlack: UInt16 = 1
}

/// TIFF ResolutionUnit values.
public enum TIFFResolutionUnit: UInt16, Sendable {
    case none = 1
    case inch = 2
    case centimeter = 3
}
