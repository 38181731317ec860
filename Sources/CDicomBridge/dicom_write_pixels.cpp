// Writing any pixel layout: the files of the decoding tests (1-bit, YBR_FULL_422, RLE split over fragments) and of
// the round-trip property test (every lossless syntax, random sizes, depths and photometrics). ldk_dicom_write
// stays the writer of clinical-looking DX files; this one only cares about Pixel Data and its description.
#include "bridge_internal.hpp"

#include "dcmtk/dcmdata/dcpixseq.h"
#include "dcmtk/dcmdata/dcpxitem.h"
#include "dcmtk/dcmdata/dcrlerp.h"
#include "dcmtk/dcmjpeg/djrplol.h"
#include "dcmtk/dcmjpls/djrparam.h"

#include <cstring>
#include <memory>

namespace {

struct Layout {
    int32_t rows, columns, frames, spp, bitsAllocated, bitsStored;
    bool isSigned, planar, ybr422;
    size_t pixels() const { return size_t(rows) * size_t(columns); }
};

/// Native Pixel Data as the standard lays it out in little endian (the host order DCMTK keeps in memory): samples
/// of Bits Allocated each, high bits above Bits Stored zero; 1-bit data packed from bit 0 of the first byte with
/// frames following each other without padding; YBR_FULL_422 as Y1 Y2 Cb Cr per pixel pair.
std::vector<uint8_t> nativeBytes(const Layout &l, const int32_t *stored) {
    const uint32_t mask = l.bitsStored >= 32 ? 0xFFFFFFFFu : ((1u << l.bitsStored) - 1u);
    const size_t pixels = l.pixels(), spp = size_t(l.spp);
    std::vector<uint8_t> bytes;
    if (l.bitsAllocated == 1) {
        const size_t bits = pixels * size_t(l.frames);
        bytes.assign((bits + 7) / 8, 0);
        for (size_t i = 0; i < bits; ++i)
            if (stored[i] & 1) bytes[i >> 3] |= uint8_t(1u << (i & 7));
    } else {
        const size_t width = size_t(l.bitsAllocated / 8);
        auto put = [&](int32_t v) {
            uint32_t u = uint32_t(v) & mask;
            for (size_t b = 0; b < width; ++b) bytes.push_back(uint8_t(u >> (8 * b)));
        };
        for (int32_t f = 0; f < l.frames; ++f) {
            const int32_t *frame = stored + size_t(f) * pixels * spp;
            if (l.ybr422) {
                for (size_t p = 0; p < pixels; p += 2) {
                    put(frame[p * 3]);
                    put(frame[(p + 1) * 3]);
                    put(frame[p * 3 + 1]);
                    put(frame[p * 3 + 2]);
                }
            } else if (l.planar) {
                for (size_t s = 0; s < spp; ++s)
                    for (size_t p = 0; p < pixels; ++p) put(frame[p * spp + s]);
            } else {
                for (size_t i = 0; i < pixels * spp; ++i) put(frame[i]);
            }
        }
    }
    if (bytes.size() % 2) bytes.push_back(0);
    return bytes;
}

OFCondition insertNative(DcmDataset *ds, const std::vector<uint8_t> &bytes, bool asWords) {
    if (!asWords) return ds->putAndInsertUint8Array(DCM_PixelData, bytes.data(), Uint32(bytes.size()));
    std::vector<Uint16> words(bytes.size() / 2);
    std::memcpy(words.data(), bytes.data(), bytes.size());
    return ds->putAndInsertUint16Array(DCM_PixelData, words.data(), Uint32(words.size()));
}

std::unique_ptr<DcmRepresentationParameter> losslessParameters(E_TransferSyntax ts) {
    switch (ts) {
    case EXS_JPEGProcess14SV1:
    case EXS_JPEGProcess14: return std::make_unique<DJ_RPLossless>(1, 0);
    case EXS_JPEGLSLossless: return std::make_unique<DJLSRepresentationParameter>(0, OFTrue);
    case EXS_RLELossless: return std::make_unique<DcmRLERepresentationParameter>();
    default: return nullptr;
    }
}

/// The frames DCMTK's encoder produced, one fragment each (its default: no fragment size limit).
int encodedFrames(DcmDataset *ds, E_TransferSyntax ts, const DcmRepresentationParameter *param, int32_t frames,
                  std::vector<std::vector<uint8_t>> &out, std::string &message) {
    DcmElement *element = nullptr;
    DcmPixelSequence *sequence = nullptr;
    if (ds->findAndGetElement(DCM_PixelData, element).bad() || element == nullptr ||
        OFstatic_cast(DcmPixelData *, element)->getEncapsulatedRepresentation(ts, param, sequence).bad() ||
        sequence == nullptr) {
        message = "encoder left no encapsulated Pixel Data";
        return LDK_ERR_WRITE;
    }
    if (sequence->card() != unsigned(frames) + 1) {
        message = "encoder wrote " + std::to_string(sequence->card() - 1) + " fragments for " + std::to_string(frames) + " frames";
        return LDK_ERR_WRITE;
    }
    for (unsigned long i = 1; i < sequence->card(); ++i) {
        DcmPixelItem *item = nullptr;
        Uint8 *raw = nullptr;
        if (sequence->getItem(item, i).bad() || item == nullptr || item->getUint8Array(raw).bad()) {
            message = "cannot read encoded fragment " + std::to_string(i);
            return LDK_ERR_WRITE;
        }
        out.emplace_back(raw, raw + item->getLength());
    }
    return LDK_OK;
}

/// Replaces Pixel Data by an encapsulated sequence of `frames`, each split over fragments of at most
/// `maxFragment` bytes (0: one per frame), with a Basic Offset Table unless `emptyOffsetTable`.
void storeEncapsulated(DcmDataset *ds, E_TransferSyntax ts, const std::vector<std::vector<uint8_t>> &frames,
                       size_t maxFragment, bool emptyOffsetTable) {
    auto *sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
    auto *table = new DcmPixelItem(DcmTag(DCM_Item, EVR_OB));
    sequence->insert(table);
    std::vector<uint8_t> offsets;
    uint32_t position = 0;
    for (const auto &frame : frames) {
        for (int b = 0; b < 4; ++b) offsets.push_back(uint8_t(position >> (8 * b)));
        // Even fragment lengths: DICOM pads odd ones, which would move the bytes after them.
        const size_t step = maxFragment == 0 ? frame.size() : std::max<size_t>(2, maxFragment & ~size_t(1));
        size_t at = 0;
        do {
            size_t n = std::min(step, frame.size() - at);
            std::vector<uint8_t> piece(frame.begin() + long(at), frame.begin() + long(at + n));
            if (piece.size() % 2) piece.push_back(0);
            auto *item = new DcmPixelItem(DcmTag(DCM_Item, EVR_OB));
            item->putUint8Array(piece.data(), Uint32(piece.size()));
            sequence->insert(item);
            position += uint32_t(8 + piece.size());
            at += n;
        } while (at < frame.size());
    }
    if (!emptyOffsetTable) table->putUint8Array(offsets.data(), Uint32(offsets.size()));
    auto *pixelData = new DcmPixelData(DcmTag(DCM_PixelData, EVR_OB));
    pixelData->putOriginalRepresentation(ts, nullptr, sequence);
    ds->insert(pixelData, OFTrue /* replace */);
}

} // namespace

extern "C" int ldk_dicom_write_pixels(const char *path, const ldk_dicom_pixel_params *p, const int32_t *stored,
                                      size_t count, char *err, size_t err_len) {
    if (path == nullptr || p == nullptr || stored == nullptr || p->transfer_syntax_uid == nullptr || p->photometric == nullptr)
        return ldk::fail(LDK_ERR_INVALID_ARGUMENT, "null argument", err, err_len);
    const std::string photometric = p->photometric;
    Layout l{p->rows, p->columns, p->frames, p->samples_per_pixel, p->bits_allocated, p->bits_stored,
             p->pixel_representation == 1, p->planar_configuration == 1, photometric == "YBR_FULL_422"};
    if (l.rows <= 0 || l.columns <= 0 || l.rows > 65535 || l.columns > 65535 || l.frames < 1)
        return ldk::fail(LDK_ERR_ZERO_SIZE, "rows, columns and frames must be positive", err, err_len);
    if (l.spp != 1 && l.spp != 3) return ldk::fail(LDK_ERR_UNSUPPORTED, "samples per pixel must be 1 or 3", err, err_len);
    if ((l.bitsAllocated != 1 && l.bitsAllocated != 8 && l.bitsAllocated != 16) || l.bitsStored < 1 ||
        l.bitsStored > l.bitsAllocated)
        return ldk::fail(LDK_ERR_INCONSISTENT_BITS, "bits allocated 1, 8 or 16 with bits stored 1..allocated", err, err_len);
    if (count != l.pixels() * size_t(l.spp) * size_t(l.frames))
        return ldk::fail(LDK_ERR_INVALID_ARGUMENT, "value count does not match the layout", err, err_len);
    try {
        ldk::ensureCodecsRegistered();
        DcmXfer xfer(p->transfer_syntax_uid);
        const E_TransferSyntax ts = xfer.getXfer();
        if (ts == EXS_Unknown)
            return ldk::fail(LDK_ERR_UNSUPPORTED_SYNTAX, std::string("unknown transfer syntax ") + p->transfer_syntax_uid, err, err_len);
        const bool j2k = ts == EXS_JPEG2000LosslessOnly;
        auto parameters = losslessParameters(ts);
        if (xfer.isEncapsulated() && !j2k && parameters == nullptr)
            return ldk::fail(LDK_ERR_UNSUPPORTED_SYNTAX, std::string("no lossless encoder for ") + p->transfer_syntax_uid, err, err_len);
        if (xfer.isEncapsulated() && (l.bitsAllocated == 1 || l.ybr422 || l.planar))
            return ldk::fail(LDK_ERR_UNSUPPORTED, "1-bit, YBR_FULL_422 and planar data are written in native syntaxes only", err, err_len);
        if (ts == EXS_JPEGLSLossless && l.bitsStored != 8 && l.bitsStored != 16)
            // DCMTK 3.6.7's bundled CharLS fails an assertion on signed data of 9 to 15 bits (aborting the process).
            // On the property test's small unsigned images of those depths it wrote past its buffers (heap
            // corruption seen under glibc's malloc checking; 8 and 16 bits stay clean), so this test writer refuses
            // them. DICOMWriter's 12-bit JPEG-LS on radiograph-sized images round-trips exactly and stays allowed.
            return ldk::fail(LDK_ERR_UNSUPPORTED, "DCMTK's JPEG-LS encoder is unsafe at 9 to 15 bits stored; use 8 or 16, or another lossless syntax", err, err_len);
        if (l.bitsAllocated == 1 && l.spp != 1)
            return ldk::fail(LDK_ERR_UNSUPPORTED, "1-bit data must be monochrome", err, err_len);
        if (l.ybr422 && (l.spp != 3 || l.columns % 2))
            return ldk::fail(LDK_ERR_UNSUPPORTED, "YBR_FULL_422 needs 3 samples and an even number of columns", err, err_len);

        DcmFileFormat file;
        DcmDataset *ds = file.getDataset();
        char uid[100];
        LDK_CHECK(ds->putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage));
        LDK_CHECK(ds->putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT)));
        LDK_CHECK(ds->putAndInsertString(DCM_StudyInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_STUDY_UID_ROOT)));
        LDK_CHECK(ds->putAndInsertString(DCM_SeriesInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_SERIES_UID_ROOT)));
        LDK_CHECK(ds->putAndInsertString(DCM_Modality, "OT"));
        LDK_CHECK(ds->putAndInsertUint16(DCM_SamplesPerPixel, Uint16(l.spp)));
        LDK_CHECK(ds->putAndInsertString(DCM_PhotometricInterpretation, photometric.c_str()));
        if (l.spp > 1) LDK_CHECK(ds->putAndInsertUint16(DCM_PlanarConfiguration, l.planar ? 1 : 0));
        if (l.frames > 1) LDK_CHECK(ds->putAndInsertString(DCM_NumberOfFrames, std::to_string(l.frames).c_str()));
        LDK_CHECK(ds->putAndInsertUint16(DCM_Rows, Uint16(l.rows)));
        LDK_CHECK(ds->putAndInsertUint16(DCM_Columns, Uint16(l.columns)));
        LDK_CHECK(ds->putAndInsertUint16(DCM_BitsAllocated, Uint16(l.bitsAllocated)));
        LDK_CHECK(ds->putAndInsertUint16(DCM_BitsStored, Uint16(l.bitsStored)));
        LDK_CHECK(ds->putAndInsertUint16(DCM_HighBit, Uint16(l.bitsStored - 1)));
        LDK_CHECK(ds->putAndInsertUint16(DCM_PixelRepresentation, l.isSigned ? 1 : 0));

        if (j2k) {
            std::vector<std::vector<uint8_t>> frames;
            const size_t frameValues = l.pixels() * size_t(l.spp);
            for (int32_t f = 0; f < l.frames; ++f) {
                std::vector<uint8_t> codestream;
                std::string message;
                int status = ldk::encodeJ2KLosslessFrame(stored + size_t(f) * frameValues, l.rows, l.columns, l.spp,
                                                         l.bitsStored, l.isSigned, codestream, message);
                if (status != LDK_OK) return ldk::fail(status, message, err, err_len);
                frames.push_back(std::move(codestream));
            }
            storeEncapsulated(ds, ts, frames, size_t(std::max(p->max_fragment_bytes, 0)), p->empty_offset_table != 0);
        } else {
            LDK_CHECK(insertNative(ds, nativeBytes(l, stored), l.bitsAllocated == 16 || p->pixel_data_ow != 0));
            if (xfer.isEncapsulated()) {
                OFCondition c = ds->chooseRepresentation(ts, parameters.get());
                if (c.bad() || !ds->canWriteXfer(ts))
                    return ldk::fail(LDK_ERR_WRITE, std::string("DCMTK cannot encode this image to ") + p->transfer_syntax_uid +
                                                        (c.bad() ? std::string(": ") + c.text() : std::string()),
                                     err, err_len);
                std::vector<std::vector<uint8_t>> frames;
                std::string message;
                int status = encodedFrames(ds, ts, parameters.get(), l.frames, frames, message);
                if (status != LDK_OK) return ldk::fail(status, message, err, err_len);
                storeEncapsulated(ds, ts, frames, size_t(std::max(p->max_fragment_bytes, 0)), p->empty_offset_table != 0);
            }
        }
        LDK_CHECK(file.saveFile(path, ts, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, EWM_fileformat));
        return LDK_OK;
    } catch (const std::exception &e) {
        return ldk::fail(LDK_ERR_WRITE, std::string("exception while writing: ") + e.what(), err, err_len);
    } catch (...) {
        return ldk::fail(LDK_ERR_WRITE, "unknown exception while writing", err, err_len);
    }
}
