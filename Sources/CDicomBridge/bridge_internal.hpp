// Shared internals of the bridge: the handle, codec registration and error copying.
#ifndef LDK_BRIDGE_INTERNAL_HPP
#define LDK_BRIDGE_INTERNAL_HPP

#include "dicom_bridge.h"

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dctk.h"

#include <cstdint>
#include <string>
#include <vector>

struct ldk_dicom {
    DcmFileFormat file;
    std::string path;
    std::string transferSyntaxUID; // from the meta header when present, else what DCMTK detected
    bool hasMeta = false;
    bool jpeglsChecked = false; // low-precision JPEG-LS thresholds made explicit (once per file)
};

namespace ldk {

/// Interprets the low `bitsStored` bits of a raw sample: sign-extended for signed data, masked otherwise.
struct StoredValue {
    uint32_t mask;
    uint32_t signBit;
    bool isSigned;
    StoredValue(int32_t bitsStored, bool s)
        : mask(bitsStored >= 32 ? 0xFFFFFFFFu : ((1u << bitsStored) - 1u)),
          signBit(bitsStored >= 32 ? 0x80000000u : (1u << (bitsStored - 1))), isSigned(s) {}
    inline int32_t operator()(uint32_t raw) const {
        uint32_t v = raw & mask;
        if (isSigned && (v & signBit)) v |= ~mask;
        return int32_t(v);
    }
};

/// Registers DCMTK's codecs and silences its logger, exactly once per process.
void ensureCodecsRegistered();

/// Copy `message` into a caller buffer, always NUL-terminated.
void copyString(const std::string &message, char *buffer, size_t length);

/// Stores `message` and returns `status`, so error paths stay one line.
int fail(int status, const std::string &message, char *err, size_t errLen);

bool isJPEG2000Syntax(const std::string &uid);

/// DICOM Decimal String (16 characters at most) with up to `mostDigits` significant digits, as many as fit.
std::string decimalString(double value, int mostDigits);

/// Decode one JPEG 2000 / HTJ2K frame (codestream or JP2) into stored values.
/// `samples` receives rows*columns*spp interleaved values in codestream precision/sign.
int decodeJ2KFrame(const uint8_t *data, size_t size, int32_t rows, int32_t columns, int32_t samplesPerPixel,
                   std::vector<int32_t> &samples, bool &codestreamSigned, int32_t &codestreamPrecision,
                   std::string &message);

/// Encode one frame (interleaved samples) as a lossless JPEG 2000 codestream, without colour transform.
int encodeJ2KLosslessFrame(const int32_t *samples, int32_t rows, int32_t columns, int32_t samplesPerPixel,
                           int32_t precision, bool isSigned, std::vector<uint8_t> &codestream, std::string &message);

/// What starts a frame in an encapsulated stream, for files whose frames span several fragments and that have no
/// offset table: a JPEG / JPEG 2000 marker, or an RLE header.
enum class FrameStart { codestream, rleHeader };

/// Collect the bytes of frame `frame` from an encapsulated Pixel Data element.
int encapsulatedFrameBytes(DcmItem *dataset, int32_t frame, int32_t frameCount, std::vector<uint8_t> &bytes,
                           std::string &message, FrameStart start = FrameStart::codestream);

/// Decode one RLE Lossless frame (PS3.5 Annex G) into interleaved stored values; every inconsistency of header,
/// segments and image size is an error, never a guess.
int decodeRLEFrame(const uint8_t *data, size_t size, int32_t rows, int32_t columns, int32_t samplesPerPixel,
                   int32_t bitsAllocated, const StoredValue &stored, int32_t *out, std::string &message);

/// Native Pixel Data bytes in the standard's little-endian layout: OB as stored, OW as DCMTK's host-order words
/// (DCMTK swaps OW from big endian on load, so 16-bit words read back in their intended order).
bool nativePixelBytes(DcmElement *pixelData, const uint8_t *&bytes, size_t &length);

/// Frame `frame` of 1-bit packed native data: pixel i of the image is bit (i mod 8) of byte i/8, counting frames
/// on without padding (PS3.5 8.1.1 and Annex D).
int decodeOneBitFrame(const uint8_t *bytes, size_t length, int32_t rows, int32_t columns, int32_t frame, int32_t *out,
                      std::string &message);

/// Frame `frame` of native YBR_FULL_422: Y1 Y2 Cb Cr per horizontal pixel pair, expanded to Y,Cb,Cr per pixel.
int decodeYBR422Frame(const uint8_t *bytes, size_t length, int32_t rows, int32_t columns, int32_t bitsAllocated,
                      int32_t frame, const StoredValue &stored, int32_t *out, std::string &message);

/// Makes JPEG-LS streams of 2..7 bits decodable by DCMTK's CharLS (see jpegls_thresholds.cpp).
void patchLowPrecisionJPEGLS(DcmItem *dataset, int32_t frameCount);

} // namespace ldk

/// In a writer's C entry point (parameters `err`, `err_len`): returns LDK_ERR_WRITE with DCMTK's reason when `expr`,
/// an OFCondition, failed, so each of the many tag insertions stays one line.
#define LDK_CHECK(expr)                                                                                               \
    do {                                                                                                              \
        OFCondition _c = (expr);                                                                                      \
        if (_c.bad()) return ldk::fail(LDK_ERR_WRITE, std::string("DCMTK: ") + _c.text(), err, err_len);           \
    } while (0)

#endif
