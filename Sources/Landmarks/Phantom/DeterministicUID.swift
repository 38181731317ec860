import Crypto
import Foundation

/// UUID-derived DICOM UIDs ("2.25." + a 128-bit decimal, PS3.5 B.2) from a name, so a phantom written twice from
/// the same seed carries the same SOP Instance UID.
public enum DeterministicUID {
    public static func make(_ name: String) -> String {
        let digest = Array(SHA256.hash(data: Data(name.utf8)))
        // 128 bits as four 32-bit limbs, most significant first; repeated division by 10 gives the decimal digits.
        var limbs: [UInt64] = (0..<4).map { i in
            (0..<4).reduce(UInt64(0)) { $0 << 8 | UInt64(digest[4 * i + $1]) }
        }
        limbs[0] &= 0x3FFF_FFFF // keep the number below 2^126 so the UID stays well under 64 characters
        var digits: [Character] = []
        while limbs.contains(where: { $0 != 0 }) {
            var rem: UInt64 = 0
            for i in 0..<4 {
                let cur = rem << 32 | limbs[i]
                limbs[i] = cur / 10
                rem = cur % 10
            }
            digits.append(Character(String(rem)))
        }
        return "2.25." + (digits.isEmpty ? "0" : String(digits.reversed()))
    }
}
