// Lookup tables: Modality LUT and VOI LUT sequences, and palette colour tables.
#include "bridge_internal.hpp"

#include <vector>

namespace {

struct LutSource {
    DcmItem *item = nullptr; // where the descriptor and data live
    DcmTagKey descriptor, data, explanation;
    bool hasExplanation = false;
};

/// Descriptor values may be US or SS; the first-mapped value is signed when the VR says so
/// or when the pixel data are signed (PS3.3 C.11.1.1), e.g. mlut_18.dcm's -2048.
bool readDescriptor(DcmItem *item, const DcmTagKey &key, bool pixelsSigned, int32_t &count, int32_t &first,
                    int32_t &bits) {
    DcmElement *e = nullptr;
    if (item->findAndGetElement(key, e).bad() || e == nullptr || e->getVM() < 3 || e->getLength() == 0) return false;
    int32_t v[3];
    bool vrSigned = e->ident() == EVR_SS;
    for (unsigned long i = 0; i < 3; ++i) {
        if (vrSigned) {
            Sint16 s = 0;
            if (e->getSint16(s, i).bad()) return false;
            v[i] = s;
        } else {
            Uint16 u = 0;
            if (e->getUint16(u, i).bad()) return false;
            v[i] = u;
        }
    }
    count = v[0] == 0 ? 65536 : (v[0] < 0 ? v[0] + 65536 : v[0]);
    first = v[1];
    if (!vrSigned && pixelsSigned) first = int32_t(int16_t(uint16_t(v[1])));
    if (vrSigned && !pixelsSigned && first < 0) first += 65536;
    bits = v[2] < 0 ? v[2] + 65536 : v[2];
    return true;
}

/// LUT data with 8-bit entries may be packed two per 16-bit word.
bool readEntries(DcmItem *item, const DcmTagKey &key, int32_t count, int32_t bits, std::vector<uint16_t> &entries) {
    DcmElement *e = nullptr;
    if (item->findAndGetElement(key, e).bad() || e == nullptr || e->getLength() == 0) return false;
    Uint16 *words = nullptr;
    if (e->getUint16Array(words).bad() || words == nullptr) {
        Uint8 *bytes = nullptr;
        if (e->getUint8Array(bytes).bad() || bytes == nullptr) return false;
        unsigned long n = e->getLength();
        if (long(n) < count) return false;
        entries.assign(bytes, bytes + count);
        return true;
    }
    unsigned long n = e->getLength() / 2;
    if (long(n) >= count) {
        entries.assign(words, words + count);
    } else if (bits <= 8 && long(n) * 2 >= count) {
        entries.resize(size_t(count));
        for (int32_t i = 0; i < count; ++i) entries[size_t(i)] = uint16_t((words[i / 2] >> ((i % 2) * 8)) & 0xFF);
    } else {
        return false;
    }
    return true;
}

/// Returns 1/0/-1 as documented for ldk_dicom_get_lut; `source.item` null means absent.
bool locate(DcmDataset *ds, int32_t kind, LutSource &source, bool &sequencePresentButEmpty) {
    sequencePresentButEmpty = false;
    if (kind == LDK_LUT_MODALITY || kind == LDK_LUT_VOI) {
        DcmTagKey seqKey = kind == LDK_LUT_MODALITY ? DCM_ModalityLUTSequence : DCM_VOILUTSequence;
        DcmItem *item = nullptr;
        if (ds->findAndGetSequenceItem(seqKey, item, 0).bad() || item == nullptr) {
            sequencePresentButEmpty = ds->tagExists(seqKey);
            return false;
        }
        source.item = item;
        source.descriptor = DCM_LUTDescriptor;
        source.data = DCM_LUTData;
        source.explanation = DCM_LUTExplanation;
        source.hasExplanation = true;
        return true;
    }
    source.item = ds;
    switch (kind) {
    case LDK_LUT_PALETTE_RED:
        source.descriptor = DCM_RedPaletteColorLookupTableDescriptor;
        source.data = DCM_RedPaletteColorLookupTableData;
        break;
    case LDK_LUT_PALETTE_GREEN:
        source.descriptor = DCM_GreenPaletteColorLookupTableDescriptor;
        source.data = DCM_GreenPaletteColorLookupTableData;
        break;
    case LDK_LUT_PALETTE_BLUE:
        source.descriptor = DCM_BluePaletteColorLookupTableDescriptor;
        source.data = DCM_BluePaletteColorLookupTableData;
        break;
    default:
        return false;
    }
    return ds->tagExists(source.descriptor) || ds->tagExists(source.data);
}

} // namespace

extern "C" int ldk_dicom_get_lut(const ldk_dicom *handle, int32_t kind, int32_t *first_mapped, int32_t *bits_per_entry,
                                 int32_t *count, uint16_t *entries, size_t capacity, char *explanation,
                                 size_t explanation_len) {
    if (handle == nullptr || first_mapped == nullptr || bits_per_entry == nullptr || count == nullptr) return 0;
    *first_mapped = 0;
    *bits_per_entry = 0;
    *count = 0;
    ldk::copyString("", explanation, explanation_len);
    try {
        DcmDataset *ds = const_cast<DcmFileFormat &>(handle->file).getDataset();
        Uint16 pixelRepresentation = 0;
        ds->findAndGetUint16(DCM_PixelRepresentation, pixelRepresentation);
        LutSource source;
        bool emptySequence = false;
        if (!locate(ds, kind, source, emptySequence)) {
            if (emptySequence) {
                ldk::copyString("LUT sequence has no item", explanation, explanation_len);
                return -1;
            }
            return 0;
        }
        bool pixelsSigned = pixelRepresentation == 1 && kind <= LDK_LUT_VOI;
        int32_t n = 0, first = 0, bits = 0;
        if (!readDescriptor(source.item, source.descriptor, pixelsSigned, n, first, bits)) {
            ldk::copyString("LUT descriptor is empty or malformed", explanation, explanation_len);
            return -1;
        }
        if (bits < 1 || bits > 16) {
            ldk::copyString("LUT bits per entry out of range", explanation, explanation_len);
            return -1;
        }
        std::vector<uint16_t> values;
        if (!readEntries(source.item, source.data, n, bits, values)) {
            ldk::copyString("LUT data are empty, segmented or shorter than the descriptor says", explanation,
                            explanation_len);
            return -1;
        }
        *first_mapped = first;
        *bits_per_entry = bits;
        *count = n;
        if (entries != nullptr && capacity >= size_t(n))
            for (int32_t i = 0; i < n; ++i) entries[i] = values[size_t(i)];
        if (source.hasExplanation) {
            OFString text;
            if (source.item->findAndGetOFString(source.explanation, text).good())
                ldk::copyString(text.c_str(), explanation, explanation_len);
        }
        return 1;
    } catch (...) {
        ldk::copyString("exception while reading LUT", explanation, explanation_len);
        return -1;
    }
}
