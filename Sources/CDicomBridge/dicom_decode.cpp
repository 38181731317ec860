// Pixel decoding: one frame to stored values, through DCMTK's codecs or OpenJPEG.
#include "bridge_internal.hpp"

#include "dcmtk/dcmdata/dcpixseq.h"
#include "dcmtk/dcmdata/dcpxitem.h"

#include <cstring>
#include <vector>

namespace {

struct Layout {
    int32_t rows, columns, frames, spp, bitsAllocated, bitsStored, pixelRepresentation;
    std::string photometric;
};

using ldk::StoredValue;

int colourModel(const Layout &l, const std::string &decodedModel, bool fromJPEG2000) {
    const std::string &pi = decodedModel.empty() ? l.photometric : decodedModel;
    if (l.spp == 1) return pi == "PALETTE COLOR" ? LDK_COLOUR_PALETTE : LDK_COLOUR_MONOCHROME;
    if (pi.compare(0, 3, "YBR") == 0) {
        // OpenJPEG applies the inverse RCT/ICT itself, so those samples are already RGB.
        if (fromJPEG2000 && (pi == "YBR_RCT" || pi == "YBR_ICT")) return LDK_COLOUR_RGB;
        return LDK_COLOUR_YBR;
    }
    return LDK_COLOUR_RGB;
}

void toStored(const uint8_t *buffer, const Layout &l, bool planar, int32_t *out) {
    const size_t pixels = size_t(l.rows) * size_t(l.columns);
    const size_t n = pixels * size_t(l.spp);
    StoredValue sv(l.bitsStored, l.pixelRepresentation == 1);
    auto index = [&](size_t i) -> size_t {
        // Planar input (RRR..GGG..BBB..) is re-interleaved so colour samples come out R,G,B,R,G,B.
        if (!planar || l.spp == 1) return i;
        size_t plane = i / pixels, p = i % pixels;
        return p * size_t(l.spp) + plane;
    };
    switch (l.bitsAllocated) {
    case 8:
        for (size_t i = 0; i < n; ++i) out[index(i)] = sv(buffer[i]);
        break;
    case 16: {
        const uint16_t *w = reinterpret_cast<const uint16_t *>(buffer);
        for (size_t i = 0; i < n; ++i) out[index(i)] = sv(w[i]);
        break;
    }
    default: {
        const uint32_t *w = reinterpret_cast<const uint32_t *>(buffer);
        for (size_t i = 0; i < n; ++i) out[index(i)] = sv(w[i]);
        break;
    }
    }
}

int readNativeFrame(DcmPixelData *pixelData, DcmDataset *ds, const Layout &l, int32_t frame, size_t frameBytes,
                    int32_t *out, int32_t *model, char *err, size_t errLen) {
    // Native data are already in memory in host byte order: read the frame in place. This also
    // avoids getUncompressedFrame's refusal of odd-sized frames in OW data (8-bit implicit VR).
    const uint8_t *all = nullptr;
    if (l.bitsAllocated == 8) {
        Uint8 *bytes = nullptr;
        if (pixelData->getUint8Array(bytes).good()) all = bytes;
    } else {
        Uint16 *words = nullptr;
        if (pixelData->getUint16Array(words).good()) all = reinterpret_cast<const uint8_t *>(words);
    }
    if (all == nullptr || pixelData->getLength() < frameBytes * size_t(frame + 1))
        return ldk::fail(LDK_ERR_DECODE, "cannot access native Pixel Data", err, errLen);
    Uint16 planar = 0;
    if (l.spp > 1) ds->findAndGetUint16(DCM_PlanarConfiguration, planar);
    toStored(all + frameBytes * size_t(frame), l, planar == 1, out);
    *model = colourModel(l, "", false);
    return LDK_OK;
}

/// Pixel Data (7FE0,0010) of `ds` in `element`, or LDK_ERR_NO_PIXEL_DATA with a message.
int findPixelData(DcmDataset *ds, DcmElement *&element, char *err, size_t errLen) {
    element = nullptr;
    if (ds->findAndGetElement(DCM_PixelData, element).bad() || element == nullptr)
        return ldk::fail(LDK_ERR_NO_PIXEL_DATA, "no Pixel Data (7FE0,0010)", err, errLen);
    return LDK_OK;
}

/// Frame `frame` through DCMTK's frame access (decompressing when needed) as stored values, with its colour model;
/// `dataset` holds the pixel description. Returns DCMTK's condition and writes nothing when it failed.
OFCondition readFrameWithDCMTK(DcmPixelData *pixelData, DcmItem *dataset, Uint32 frame, size_t frameBytes, const Layout &l,
                               int32_t *out, int32_t *model) {
    // The codecs want the exact frame size; the spare byte covers DCMTK's even-length padding.
    std::vector<uint8_t> buffer(frameBytes + 1);
    Uint32 startFragment = 0;
    OFString decodedModel;
    OFCondition c = pixelData->getUncompressedFrame(dataset, frame, startFragment, buffer.data(), Uint32(frameBytes),
                                                    decodedModel, nullptr);
    if (c.bad()) return c;
    Uint16 planar = 0;
    if (l.spp > 1) dataset->findAndGetUint16(DCM_PlanarConfiguration, planar);
    toStored(buffer.data(), l, planar == 1, out);
    *model = colourModel(l, decodedModel.c_str(), false);
    return c;
}

/// A data set holding only frame `frame` of `ds`, as one fragment: the pixel description plus Pixel Data.
/// DCMTK's frame access must find a frame's fragments itself, and fails on frames spread over several
/// fragments without an offset table, or on odd-sized 8-bit frames of multi-frame files; the frame's bytes are
/// found here instead (encapsulated_frames.cpp), so DCMTK only ever sees a single-frame, single-fragment image.
int singleFrameDataset(DcmDataset *ds, E_TransferSyntax xfer, int32_t frame, int32_t frames, DcmDataset &single,
                       std::string &message) {
    std::vector<uint8_t> bytes;
    int status = ldk::encapsulatedFrameBytes(ds, frame, frames, bytes, message);
    if (status != LDK_OK) return status;
    if (bytes.size() % 2) bytes.push_back(0);
    static const DcmTagKey description[] = {DCM_Rows, DCM_Columns, DCM_SamplesPerPixel, DCM_PhotometricInterpretation,
                                            DCM_PlanarConfiguration, DCM_BitsAllocated, DCM_BitsStored, DCM_HighBit,
                                            DCM_PixelRepresentation};
    for (const DcmTagKey &key : description) {
        DcmElement *e = nullptr;
        if (ds->findAndGetElement(key, e).good() && e != nullptr) single.insert(OFstatic_cast(DcmElement *, e->clone()), OFTrue);
    }
    auto *sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
    sequence->insert(new DcmPixelItem(DcmTag(DCM_Item, EVR_OB)));
    auto *fragment = new DcmPixelItem(DcmTag(DCM_Item, EVR_OB));
    fragment->putUint8Array(bytes.data(), Uint32(bytes.size()));
    sequence->insert(fragment);
    auto *pixelData = new DcmPixelData(DcmTag(DCM_PixelData, EVR_OB));
    pixelData->putOriginalRepresentation(xfer, nullptr, sequence);
    single.insert(pixelData, OFTrue);
    return LDK_OK;
}

int decodeEncapsulatedWithDCMTK(DcmDataset *ds, E_TransferSyntax xfer, const Layout &l, int32_t frame, size_t frameBytes,
                                int32_t *out, int32_t *model, char *err, size_t errLen) {
    DcmDataset single;
    std::string message;
    int status = singleFrameDataset(ds, xfer, frame, l.frames, single, message);
    if (status != LDK_OK) return ldk::fail(status, message, err, errLen);
    DcmElement *element = nullptr;
    single.findAndGetElement(DCM_PixelData, element);
    DcmPixelData *pixelData = OFstatic_cast(DcmPixelData *, element);
    Layout one = l;
    one.frames = 1;
    OFCondition c = readFrameWithDCMTK(pixelData, &single, 0, frameBytes, l, out, model);
    if (c == EC_IllegalCall && (l.bitsAllocated == 8 || l.bitsAllocated == 16)) {
        // DCMTK's frame-wise path refuses odd-sized 8-bit frames; whole-object decompression works.
        if (single.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).good() && single.canWriteXfer(EXS_LittleEndianExplicit))
            return readNativeFrame(pixelData, &single, one, 0, frameBytes, out, model, err, errLen);
    }
    if (c.bad()) return ldk::fail(LDK_ERR_DECODE, std::string("DCMTK: ") + c.text(), err, errLen);
    return LDK_OK;
}

int decodeWithDCMTK(ldk_dicom *h, const Layout &l, int32_t frame, int32_t *out, int32_t *model, char *err,
                    size_t errLen) {
    DcmDataset *ds = h->file.getDataset();
    DcmElement *element = nullptr;
    if (int status = findPixelData(ds, element, err, errLen)) return status;
    DcmPixelData *pixelData = OFdynamic_cast(DcmPixelData *, element);
    if (pixelData == nullptr) return ldk::fail(LDK_ERR_DECODE, "Pixel Data element has an unexpected type", err, errLen);
    const size_t frameBytes = size_t(l.rows) * size_t(l.columns) * size_t(l.spp) * size_t(l.bitsAllocated / 8);
    DcmXfer xfer(h->transferSyntaxUID.c_str());
    if (!xfer.isEncapsulated() && element->getLength() < frameBytes * size_t(frame + 1))
        return ldk::fail(LDK_ERR_TRUNCATED,
                         "Pixel Data holds " + std::to_string(element->getLength()) + " bytes, frame " +
                             std::to_string(frame) + " needs up to byte " + std::to_string(frameBytes * size_t(frame + 1)),
                         err, errLen);
    if (!xfer.isEncapsulated() && (l.bitsAllocated == 8 || l.bitsAllocated == 16))
        return readNativeFrame(pixelData, ds, l, frame, frameBytes, out, model, err, errLen);
    if (!xfer.isEncapsulated()) {
        // Native 32-bit data keep DCMTK's frame access: readNativeFrame reads 8- and 16-bit samples only.
        OFCondition c = readFrameWithDCMTK(pixelData, ds, Uint32(frame), frameBytes, l, out, model);
        if (c.bad()) return ldk::fail(LDK_ERR_DECODE, std::string("DCMTK: ") + c.text(), err, errLen);
        return LDK_OK;
    }
    return decodeEncapsulatedWithDCMTK(ds, xfer.getXfer(), l, frame, frameBytes, out, model, err, errLen);
}

int decodeJPEG2000(ldk_dicom *h, const Layout &l, int32_t frame, int32_t *out, int32_t *model, char *err,
                   size_t errLen) {
    std::vector<uint8_t> bytes;
    std::string message;
    int status = ldk::encapsulatedFrameBytes(h->file.getDataset(), frame, l.frames, bytes, message);
    if (status != LDK_OK) return ldk::fail(status, message, err, errLen);
    std::vector<int32_t> samples;
    bool codestreamSigned = false;
    int32_t precision = 0;
    status = ldk::decodeJ2KFrame(bytes.data(), bytes.size(), l.rows, l.columns, l.spp, samples, codestreamSigned,
                                 precision, message);
    if (status != LDK_OK) return ldk::fail(status, message, err, errLen);
    // The header wins over the codestream: files exist whose SIZ says unsigned while Pixel
    // Representation says signed (TOSHIBA, pydicom #1149), so reinterpret the codestream's
    // bits by Bits Stored and Pixel Representation.
    StoredValue sv(l.bitsStored, l.pixelRepresentation == 1);
    for (size_t i = 0; i < samples.size(); ++i) out[i] = sv(uint32_t(samples[i]));
    *model = colourModel(l, "", true);
    return LDK_OK;
}

/// 1-bit packed and native YBR_FULL_422 data: layouts DCMTK's frame access does not unpack.
int decodeNativeLayout(ldk_dicom *h, const Layout &l, int32_t frame, int32_t *out, int32_t *model, char *err,
                       size_t errLen) {
    DcmDataset *ds = h->file.getDataset();
    DcmElement *element = nullptr;
    if (int status = findPixelData(ds, element, err, errLen)) return status;
    const uint8_t *bytes = nullptr;
    size_t length = 0;
    if (!ldk::nativePixelBytes(element, bytes, length))
        return ldk::fail(LDK_ERR_DECODE, "cannot access native Pixel Data", err, errLen);
    std::string message;
    int status;
    if (l.bitsAllocated == 1) {
        if (l.spp != 1)
            return ldk::fail(LDK_ERR_UNSUPPORTED, "1-bit data with " + std::to_string(l.spp) + " samples per pixel", err, errLen);
        status = ldk::decodeOneBitFrame(bytes, length, l.rows, l.columns, frame, out, message);
    } else {
        Uint16 planar = 0;
        ds->findAndGetUint16(DCM_PlanarConfiguration, planar);
        if (planar != 0)
            return ldk::fail(LDK_ERR_UNSUPPORTED, "YBR_FULL_422 by plane (Planar Configuration 1)", err, errLen);
        status = ldk::decodeYBR422Frame(bytes, length, l.rows, l.columns, l.bitsAllocated, frame,
                                        StoredValue(l.bitsStored, l.pixelRepresentation == 1), out, message);
    }
    if (status != LDK_OK) return ldk::fail(status, message, err, errLen);
    *model = colourModel(l, "", false);
    return LDK_OK;
}

int decodeRLE(ldk_dicom *h, const Layout &l, int32_t frame, int32_t *out, int32_t *model, char *err, size_t errLen) {
    std::vector<uint8_t> bytes;
    std::string message;
    int status = ldk::encapsulatedFrameBytes(h->file.getDataset(), frame, l.frames, bytes, message, ldk::FrameStart::rleHeader);
    if (status != LDK_OK) return ldk::fail(status, message, err, errLen);
    status = ldk::decodeRLEFrame(bytes.data(), bytes.size(), l.rows, l.columns, l.spp, l.bitsAllocated,
                                 StoredValue(l.bitsStored, l.pixelRepresentation == 1), out, message);
    if (status != LDK_OK) return ldk::fail(status, message, err, errLen);
    *model = colourModel(l, "", false);
    return LDK_OK;
}

bool supportedByDCMTK(const std::string &uid) {
    static const char *const known[] = {
        "1.2.840.10008.1.2",      "1.2.840.10008.1.2.1",    "1.2.840.10008.1.2.2",    "1.2.840.10008.1.2.1.99",
        "1.2.840.10008.1.2.5",    "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57",
        "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81",
    };
    for (const char *k : known)
        if (uid == k) return true;
    return false;
}

} // namespace

extern "C" int ldk_dicom_decode_frame(ldk_dicom *handle, int32_t frame, int32_t *out, size_t capacity,
                                      int32_t *colour_model, char *err, size_t err_len) {
    if (handle == nullptr || out == nullptr || colour_model == nullptr)
        return ldk::fail(LDK_ERR_INVALID_ARGUMENT, "null argument", err, err_len);
    try {
        ldk_dicom_info info;
        ldk_dicom_get_info(handle, &info);
        Layout l{info.rows, info.columns, info.frames, info.samples_per_pixel, info.bits_allocated,
                 info.bits_stored, info.pixel_representation, info.photometric};
        if (!info.has_pixel_data) return ldk::fail(LDK_ERR_NO_PIXEL_DATA, "no Pixel Data (7FE0,0010)", err, err_len);
        if (l.rows <= 0 || l.columns <= 0)
            return ldk::fail(LDK_ERR_ZERO_SIZE,
                             "Rows " + std::to_string(l.rows) + ", Columns " + std::to_string(l.columns), err, err_len);
        if (l.frames < 1) return ldk::fail(LDK_ERR_FRAME_RANGE, "Number of Frames is " + std::to_string(l.frames), err, err_len);
        if (frame < 0 || frame >= l.frames)
            return ldk::fail(LDK_ERR_FRAME_RANGE,
                             "frame " + std::to_string(frame) + " requested, file has " + std::to_string(l.frames),
                             err, err_len);
        if (l.bitsAllocated != 1 && l.bitsAllocated != 8 && l.bitsAllocated != 16 && l.bitsAllocated != 32)
            return ldk::fail(l.bitsAllocated == 0 ? LDK_ERR_INCONSISTENT_BITS : LDK_ERR_UNSUPPORTED,
                             "Bits Allocated " + std::to_string(l.bitsAllocated) + " is not supported", err, err_len);
        if (l.bitsStored < 1 || l.bitsStored > l.bitsAllocated)
            return ldk::fail(LDK_ERR_INCONSISTENT_BITS,
                             "Bits Stored " + std::to_string(l.bitsStored) + " with Bits Allocated " +
                                 std::to_string(l.bitsAllocated),
                             err, err_len);
        if (l.spp != 1 && l.spp != 3)
            return ldk::fail(LDK_ERR_UNSUPPORTED, "Samples per Pixel " + std::to_string(l.spp), err, err_len);
        if (capacity < size_t(l.rows) * size_t(l.columns) * size_t(l.spp))
            return ldk::fail(LDK_ERR_BUFFER_TOO_SMALL, "output buffer too small", err, err_len);
        if (ldk::isJPEG2000Syntax(handle->transferSyntaxUID))
            return decodeJPEG2000(handle, l, frame, out, colour_model, err, err_len);
        if (!supportedByDCMTK(handle->transferSyntaxUID))
            return ldk::fail(LDK_ERR_UNSUPPORTED_SYNTAX, "transfer syntax '" + handle->transferSyntaxUID + "'", err,
                             err_len);
        const bool native = !DcmXfer(handle->transferSyntaxUID.c_str()).isEncapsulated();
        if (l.bitsAllocated == 1 && !native)
            return ldk::fail(LDK_ERR_UNSUPPORTED, "1-bit data in an encapsulated syntax", err, err_len);
        if (native && (l.bitsAllocated == 1 || (l.spp == 3 && l.photometric == "YBR_FULL_422")))
            return decodeNativeLayout(handle, l, frame, out, colour_model, err, err_len);
        if (handle->transferSyntaxUID == "1.2.840.10008.1.2.5")
            return decodeRLE(handle, l, frame, out, colour_model, err, err_len);
        const bool jpegLS = handle->transferSyntaxUID == "1.2.840.10008.1.2.4.80" ||
                            handle->transferSyntaxUID == "1.2.840.10008.1.2.4.81";
        if (jpegLS && l.bitsStored < 8 && !handle->jpeglsChecked) {
            ldk::patchLowPrecisionJPEGLS(handle->file.getDataset(), l.frames);
            handle->jpeglsChecked = true;
        }
        return decodeWithDCMTK(handle, l, frame, out, colour_model, err, err_len);
    } catch (const std::exception &e) {
        return ldk::fail(LDK_ERR_DECODE, std::string("exception while decoding: ") + e.what(), err, err_len);
    } catch (...) {
        return ldk::fail(LDK_ERR_DECODE, "unknown exception while decoding", err, err_len);
    }
}
