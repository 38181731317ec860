// RLE Lossless (PS3.5 Annex G), decoded here rather than by DCMTK: DCMTK 3.6.7's frame-wise RLE decoder returns
// wrong pixels without an error when a frame's segments are split over several fragments. The frame's fragments
// are joined first (encapsulated_frames.cpp), then every header field is checked against the image, so a wrong
// fragment mapping or a damaged stream is an error and never an image.
#include "bridge_internal.hpp"

#include <algorithm>
#include <cstring>

namespace {

uint32_t le32(const uint8_t *p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24); }

/// PackBits into `out` (exactly `expected` bytes). Output beyond `expected` is tolerated and dropped, as other
/// decoders do: some encoders pad a segment with an extra run, and decoding is sequential, so the first
/// `expected` bytes are unaffected. Too few bytes, or a run cut off by the segment's end, is an error.
bool unpackSegment(const uint8_t *p, const uint8_t *end, uint8_t *out, size_t expected, std::string &why) {
    size_t o = 0;
    while (o < expected) {
        if (p >= end) {
            why = "decodes to " + std::to_string(o) + " bytes, " + std::to_string(expected) + " expected";
            return false;
        }
        const int8_t n = int8_t(*p++);
        if (n >= 0) {
            const size_t count = size_t(n) + 1;
            if (size_t(end - p) < count) {
                why = "a literal run of " + std::to_string(count) + " bytes passes the end of the segment";
                return false;
            }
            const size_t keep = count < expected - o ? count : expected - o;
            std::memcpy(out + o, p, keep);
            o += keep;
            p += count;
        } else if (n != -128) {
            if (p >= end) {
                why = "a replicate run has no byte to repeat";
                return false;
            }
            const size_t count = size_t(1 - int(n));
            const size_t keep = count < expected - o ? count : expected - o;
            std::memset(out + o, *p++, keep);
            o += keep;
        }
    }
    return true;
}

} // namespace

namespace ldk {

int decodeRLEFrame(const uint8_t *data, size_t size, int32_t rows, int32_t columns, int32_t samplesPerPixel,
                   int32_t bitsAllocated, const StoredValue &stored, int32_t *out, std::string &message) {
    if (bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
        message = "RLE with Bits Allocated " + std::to_string(bitsAllocated) + " is not supported";
        return LDK_ERR_UNSUPPORTED;
    }
    if (size < 64) {
        message = "RLE frame has " + std::to_string(size) + " bytes, less than its 64-byte header";
        return LDK_ERR_DECODE;
    }
    const int32_t bytesPerSample = bitsAllocated / 8;
    const uint32_t segments = le32(data), expectedSegments = uint32_t(samplesPerPixel * bytesPerSample);
    if (segments != expectedSegments) {
        message = "RLE header lists " + std::to_string(segments) + " segments; " + std::to_string(samplesPerPixel) +
                  " sample(s) of " + std::to_string(bitsAllocated) + " bits need " + std::to_string(expectedSegments);
        return LDK_ERR_DECODE;
    }
    std::vector<size_t> offsets(segments + 1);
    for (uint32_t i = 0; i < segments; ++i) offsets[i] = le32(data + 4 + 4 * i);
    offsets[segments] = size;
    if (offsets[0] != 64) {
        message = "RLE segment 1 starts at byte " + std::to_string(offsets[0]) + ", not after the 64-byte header";
        return LDK_ERR_DECODE;
    }
    for (uint32_t i = 0; i < segments; ++i) {
        if (offsets[i] >= offsets[i + 1] || offsets[i] >= size) {
            message = "RLE segment " + std::to_string(i + 1) + " starts at byte " + std::to_string(offsets[i]) +
                      ", outside the frame's " + std::to_string(size) + " bytes or before the previous one" +
                      " (a frame split over fragments that were not all found?)";
            return LDK_ERR_DECODE;
        }
    }
    const size_t pixels = size_t(rows) * size_t(columns);
    std::vector<uint8_t> plane(pixels);
    std::vector<uint32_t> raw(pixels);
    for (int32_t s = 0; s < samplesPerPixel; ++s) {
        std::fill(raw.begin(), raw.end(), 0u);
        // Segments of one sample run from its most significant byte to its least.
        for (int32_t b = 0; b < bytesPerSample; ++b) {
            const uint32_t k = uint32_t(s * bytesPerSample + b);
            std::string why;
            if (!unpackSegment(data + offsets[k], data + offsets[k + 1], plane.data(), pixels, why)) {
                message = "RLE segment " + std::to_string(k + 1) + " " + why;
                return LDK_ERR_DECODE;
            }
            const int shift = 8 * (bytesPerSample - 1 - b);
            for (size_t p = 0; p < pixels; ++p) raw[p] |= uint32_t(plane[p]) << shift;
        }
        for (size_t p = 0; p < pixels; ++p) out[p * size_t(samplesPerPixel) + size_t(s)] = stored(raw[p]);
    }
    return LDK_OK;
}

} // namespace ldk
