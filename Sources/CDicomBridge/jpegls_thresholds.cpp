// Works around the JPEG-LS thresholds of the CharLS copy inside DCMTK 3.6.7.
//
// That CharLS computes the default gradient thresholds with the MAXVAL >= 128 formula of
// ITU-T T.87 C.2.4.1.1.1 for every bit depth. For 2..7-bit data (MAXVAL < 128) the standard
// uses a different formula (for 7 bits T3 is 10, CharLS uses 4), so conformant streams such as
// JLSL_08_07_0_1F.dcm fail to decode. Writing the standard's defaults explicitly into the
// stream as an LSE preset-parameters segment makes the decoder use the right values; the
// decoded samples are then exactly those the encoder meant.
#include "bridge_internal.hpp"

#include "dcmtk/dcmdata/dcpxitem.h"

#include <algorithm>

namespace {

int32_t clampThreshold(int32_t value, int32_t low, int32_t maxval) { return (value > maxval || value < low) ? low : value; }

/// Returns the patched codestream, or an empty vector when no patch is needed or possible.
std::vector<uint8_t> withExplicitThresholds(const uint8_t *p, size_t n) {
    if (n < 4 || p[0] != 0xFF || p[1] != 0xD8) return {};
    size_t at = 2, sosAt = 0;
    int32_t precision = 0, nearLossless = -1;
    while (at + 4 <= n) {
        if (p[at] != 0xFF) return {};
        uint8_t marker = p[at + 1];
        size_t length = (size_t(p[at + 2]) << 8) | p[at + 3];
        if (length < 2 || at + 2 + length > n) return {};
        const uint8_t *body = p + at + 4;
        if (marker == 0xF8 && length >= 3 && body[0] == 1) return {}; // presets already explicit
        if (marker == 0xF7 && length >= 3) precision = body[0];
        if (marker == 0xDA) {
            size_t components = body[0];
            if (length >= 2 + 1 + 2 * components + 1) nearLossless = body[1 + 2 * components];
            sosAt = at;
            break;
        }
        at += 2 + length;
    }
    if (sosAt == 0 || precision < 2 || precision > 7 || nearLossless < 0) return {};
    const int32_t maxval = (1 << precision) - 1, nearV = nearLossless;
    const int32_t factor = 256 / (maxval + 1);
    const int32_t t1 = clampThreshold(std::max(2, 3 / factor + 3 * nearV), nearV + 1, maxval);
    const int32_t t2 = clampThreshold(std::max(3, 7 / factor + 5 * nearV), t1, maxval);
    const int32_t t3 = clampThreshold(std::max(4, 21 / factor + 7 * nearV), t2, maxval);
    const int32_t values[5] = {maxval, t1, t2, t3, 64};
    std::vector<uint8_t> out(p, p + sosAt);
    const uint8_t lse[5] = {0xFF, 0xF8, 0x00, 0x0D, 0x01};
    out.insert(out.end(), lse, lse + 5);
    for (int32_t v : values) {
        out.push_back(uint8_t(v >> 8));
        out.push_back(uint8_t(v & 0xFF));
    }
    out.insert(out.end(), p + sosAt, p + n);
    if (out.size() % 2) out.push_back(0); // fragments have even length
    return out;
}

} // namespace

namespace ldk {

void patchLowPrecisionJPEGLS(DcmItem *dataset, int32_t frameCount) {
    DcmElement *element = nullptr;
    if (dataset->findAndGetElement(DCM_PixelData, element).bad() || element == nullptr) return;
    DcmPixelData *pixelData = OFdynamic_cast(DcmPixelData *, element);
    if (pixelData == nullptr) return;
    E_TransferSyntax repType = EXS_Unknown;
    const DcmRepresentationParameter *repParam = nullptr;
    pixelData->getOriginalRepresentationKey(repType, repParam);
    DcmPixelSequence *sequence = nullptr;
    if (pixelData->getEncapsulatedRepresentation(repType, repParam, sequence).bad() || sequence == nullptr) return;
    DcmPixelItem *offsetTable = nullptr;
    // Growing fragments would invalidate a multi-frame offset table; leave such files alone.
    if (frameCount > 1 && sequence->getItem(offsetTable, 0).good() && offsetTable && offsetTable->getLength() > 0) return;
    for (unsigned long i = 1; i < sequence->card(); ++i) {
        DcmPixelItem *item = nullptr;
        Uint8 *raw = nullptr;
        if (sequence->getItem(item, i).bad() || item == nullptr || item->getUint8Array(raw).bad() || raw == nullptr) continue;
        std::vector<uint8_t> patched = withExplicitThresholds(raw, item->getLength());
        if (!patched.empty()) item->putUint8Array(patched.data(), Uint32(patched.size()));
    }
}

} // namespace ldk
