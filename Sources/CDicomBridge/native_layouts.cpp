// Native pixel layouts other than one whole sample per Bits Allocated: 1-bit packed data and YBR_FULL_422.
#include "bridge_internal.hpp"

namespace ldk {

bool nativePixelBytes(DcmElement *pixelData, const uint8_t *&bytes, size_t &length) {
    bytes = nullptr;
    length = pixelData->getLength();
    Uint8 *b = nullptr;
    if (pixelData->getUint8Array(b).good() && b != nullptr) {
        bytes = b;
        return true;
    }
    // OW: DCMTK holds host-order words; on this little-endian host their bytes are the little-endian layout.
    Uint16 *w = nullptr;
    if (pixelData->getUint16Array(w).good() && w != nullptr) {
        bytes = reinterpret_cast<const uint8_t *>(w);
        return true;
    }
    return length == 0;
}

int decodeOneBitFrame(const uint8_t *bytes, size_t length, int32_t rows, int32_t columns, int32_t frame, int32_t *out,
                      std::string &message) {
    const size_t pixels = size_t(rows) * size_t(columns);
    const size_t first = pixels * size_t(frame), needed = (first + pixels + 7) / 8;
    if (bytes == nullptr || length < needed) {
        message = "1-bit Pixel Data holds " + std::to_string(length) + " bytes, frame " + std::to_string(frame) +
                  " needs " + std::to_string(needed);
        return LDK_ERR_TRUNCATED;
    }
    for (size_t i = 0; i < pixels; ++i) {
        const size_t bit = first + i;
        out[i] = (bytes[bit >> 3] >> (bit & 7)) & 1;
    }
    return LDK_OK;
}

int decodeYBR422Frame(const uint8_t *bytes, size_t length, int32_t rows, int32_t columns, int32_t bitsAllocated,
                      int32_t frame, const StoredValue &stored, int32_t *out, std::string &message) {
    if (columns % 2) {
        message = "YBR_FULL_422 with an odd number of columns (" + std::to_string(columns) + ") is not supported";
        return LDK_ERR_UNSUPPORTED;
    }
    if (bitsAllocated != 8 && bitsAllocated != 16) {
        message = "YBR_FULL_422 with Bits Allocated " + std::to_string(bitsAllocated) + " is not supported";
        return LDK_ERR_UNSUPPORTED;
    }
    const size_t width = size_t(bitsAllocated / 8), pixels = size_t(rows) * size_t(columns);
    // Two samples per pixel: the pair's two Y and its one Cb, Cr.
    const size_t frameBytes = pixels * 2 * width, start = frameBytes * size_t(frame);
    if (bytes == nullptr || length < start + frameBytes) {
        message = "Pixel Data holds " + std::to_string(length) + " bytes, YBR_FULL_422 frame " + std::to_string(frame) +
                  " needs up to byte " + std::to_string(start + frameBytes);
        return LDK_ERR_TRUNCATED;
    }
    auto sample = [&](size_t index) -> int32_t {
        const uint8_t *p = bytes + start + index * width;
        return stored(width == 1 ? uint32_t(p[0]) : uint32_t(p[0]) | (uint32_t(p[1]) << 8));
    };
    for (size_t pair = 0; pair < pixels / 2; ++pair) {
        const int32_t y1 = sample(4 * pair), y2 = sample(4 * pair + 1), cb = sample(4 * pair + 2), cr = sample(4 * pair + 3);
        int32_t *a = out + 6 * pair;
        a[0] = y1; a[1] = cb; a[2] = cr;
        a[3] = y2; a[4] = cb; a[5] = cr;
    }
    return LDK_OK;
}

} // namespace ldk
