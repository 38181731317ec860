// Mapping the fragments of an encapsulated Pixel Data sequence to frames.
#include "bridge_internal.hpp"

#include "dcmtk/dcmdata/dcpxitem.h"

#include <cstring>

namespace {

/// A frame starts where a JPEG 2000 codestream, a JP2 file or a JPEG SOI does.
bool startsFrame(const uint8_t *p, size_t n) {
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

} // namespace

namespace ldk {

int encapsulatedFrameBytes(DcmItem *dataset, int32_t frame, int32_t frameCount, std::vector<uint8_t> &bytes,
                           std::string &message) {
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
    if (offsets.size() >= size_t(frameCount) && frameCount > 0) {
        uint64_t begin = offsets[size_t(frame)];
        uint64_t end = size_t(frame) + 1 < offsets.size() ? offsets[size_t(frame) + 1] : UINT64_MAX;
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
        // No usable offset table and several fragments per frame: a frame starts where a codestream does.
        int32_t current = -1;
        for (size_t i = 0; i < fragments.size(); ++i) {
            if (startsFrame(fragments[i].data, fragments[i].size)) ++current;
            if (current == frame) {
                if (!found) first = i;
                found = true;
                last = i + 1;
            } else if (current > frame) {
                break;
            }
        }
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
