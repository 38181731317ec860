// Mapping the fragments of an encapsulated Pixel Data sequence to frames.
#include "bridge_internal.hpp"

#include "dcmtk/dcmdata/dcpxitem.h"

#include <algorithm>
#include <cstring>

namespace {

/// A frame starts where a JPEG 2000 codestream, a JP2 file or a JPEG SOI does; in RLE, where a header does
/// (1 to 15 segments, the first right after the 64-byte header).
bool startsFrame(const uint8_t *p, size_t n, ldk::FrameStart kind) {
    if (kind == ldk::FrameStart::rleHeader) {
        if (n < 8) return false;
        uint32_t segments = uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
        uint32_t first = uint32_t(p[4]) | (uint32_t(p[5]) << 8) | (uint32_t(p[6]) << 16) | (uint32_t(p[7]) << 24);
        return segments >= 1 && segments <= 15 && first == 64;
    }
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) return true;
    static const uint8_t soc[4] = {0xFF, 0x4F, 0xFF, 0x51};
    static const uint8_t jp2[8] = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20};
    return (n >= 4 && std::memcmp(p, soc, 4) == 0) || (n >= 8 && std::memcmp(p, jp2, 8) == 0);
}

struct Fragment {
    const uint8_t *data;
    size_t size;
    uint64_t offset; // of its item tag, relative to the first fragment's item tag (BOT convention)
};

/// The first `n` bytes from fragment `i` on, read across fragment boundaries: a writer may split a frame into
/// fragments shorter than the marker that starts it.
std::vector<uint8_t> head(const std::vector<Fragment> &fragments, size_t i, size_t n) {
    std::vector<uint8_t> out;
    for (size_t k = i; k < fragments.size() && out.size() < n; ++k) {
        size_t take = std::min(n - out.size(), fragments[k].size);
        out.insert(out.end(), fragments[k].data, fragments[k].data + take);
    }
    return out;
}

/// A usable offset table names, in increasing order, the start of a fragment for every frame.
bool offsetTableFits(const std::vector<uint32_t> &offsets, const std::vector<Fragment> &fragments, int32_t frameCount) {
    if (frameCount < 1 || offsets.size() < size_t(frameCount)) return false;
    for (size_t f = 0; f < size_t(frameCount); ++f) {
        if (f > 0 && offsets[f] <= offsets[f - 1]) return false;
        bool startsFragment = false;
        for (const Fragment &fragment : fragments) startsFragment = startsFragment || fragment.offset == offsets[f];
        if (!startsFragment) return false;
    }
    return true;
}

} // namespace

namespace ldk {

int encapsulatedFrameBytes(DcmItem *dataset, int32_t frame, int32_t frameCount, std::vector<uint8_t> &bytes,
                           std::string &message, FrameStart start) {
    DcmElement *element = nullptr;
    if (dataset->findAndGetElement(DCM_PixelData, element).bad() || element == nullptr) {
        message = "no Pixel Data (7FE0,0010)";
        return LDK_ERR_NO_PIXEL_DATA;
    }
    DcmPixelData *pixelData = OFdynamic_cast(DcmPixelData *, element);
    DcmPixelSequence *sequence = nullptr;
    E_TransferSyntax repType = EXS_Unknown;
    const DcmRepresentationParameter *repParam = nullptr;
    if (pixelData != nullptr) {
        pixelData->getOriginalRepresentationKey(repType, repParam);
        if (pixelData->getEncapsulatedRepresentation(repType, repParam, sequence).bad()) sequence = nullptr;
    }
    if (sequence == nullptr || sequence->card() < 2) {
        message = "Pixel Data is not an encapsulated fragment sequence";
        return LDK_ERR_DECODE;
    }
    DcmPixelItem *item = nullptr;
    std::vector<uint32_t> offsets;
    if (sequence->getItem(item, 0).good() && item != nullptr && item->getLength() >= 4) {
        Uint8 *raw = nullptr;
        if (item->getUint8Array(raw).good() && raw != nullptr) {
            for (Uint32 i = 0; i + 4 <= item->getLength(); i += 4)
                offsets.push_back(uint32_t(raw[i]) | (uint32_t(raw[i + 1]) << 8) | (uint32_t(raw[i + 2]) << 16) |
                                  (uint32_t(raw[i + 3]) << 24));
        }
    }
    std::vector<Fragment> fragments;
    uint64_t position = 0;
    for (unsigned long i = 1; i < sequence->card(); ++i) {
        if (sequence->getItem(item, i).bad() || item == nullptr) break;
        Uint8 *raw = nullptr;
        size_t length = item->getLength();
        if (length > 0 && (item->getUint8Array(raw).bad() || raw == nullptr)) {
            message = "cannot read fragment " + std::to_string(i);
            return LDK_ERR_DECODE;
        }
        fragments.push_back({raw, length, position});
        position += 8 + length;
    }
    // Frame boundaries as [first, last) fragment indices, best evidence first.
    size_t first = 0, last = 0;
    bool found = false;
    if (offsetTableFits(offsets, fragments, frameCount)) {
        uint64_t begin = offsets[size_t(frame)];
        uint64_t end = size_t(frame) + 1 < size_t(frameCount) ? offsets[size_t(frame) + 1] : UINT64_MAX;
        for (size_t i = 0; i < fragments.size(); ++i) {
            if (fragments[i].offset >= begin && fragments[i].offset < end) {
                if (!found) first = i;
                found = true;
                last = i + 1;
            }
        }
    }
    if (!found && frameCount == 1) {
        first = 0;
        last = fragments.size();
        found = true;
    } else if (!found && fragments.size() == size_t(frameCount)) {
        first = size_t(frame);
        last = first + 1;
        found = true;
    } else if (!found) {
        // No usable offset table and several fragments per frame: a frame starts where a codestream (or an RLE
        // header) does. Unless that finds exactly one start per frame, the split is unknown: say so, never guess.
        std::vector<size_t> starts;
        for (size_t i = 0; i < fragments.size(); ++i) {
            std::vector<uint8_t> h = head(fragments, i, 8);
            if (startsFrame(h.data(), h.size(), start)) starts.push_back(i);
        }
        if (starts.size() != size_t(frameCount) || starts.front() != 0) {
            message = "no usable offset table, and " + std::to_string(starts.size()) + " frame starts found in " +
                      std::to_string(fragments.size()) + " fragments for " + std::to_string(frameCount) + " frames";
            return LDK_ERR_DECODE;
        }
        first = starts[size_t(frame)];
        last = size_t(frame) + 1 < starts.size() ? starts[size_t(frame) + 1] : fragments.size();
        found = true;
    }
    if (!found) {
        message = "no fragments found for frame " + std::to_string(frame);
        return LDK_ERR_DECODE;
    }
    size_t total = 0;
    for (size_t i = first; i < last; ++i) total += fragments[i].size;
    bytes.resize(total);
    size_t at = 0;
    for (size_t i = first; i < last; ++i) {
        if (fragments[i].size) std::memcpy(bytes.data() + at, fragments[i].data, fragments[i].size);
        at += fragments[i].size;
    }
    return LDK_OK;
}

} // namespace ldk
