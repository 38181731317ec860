// Recognising, parsing and describing a DICOM file: everything before pixel decoding.
#include "bridge_internal.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

namespace {

bool isUpper(uint8_t c) { return c >= 'A' && c <= 'Z'; }

/// A bare dataset has no magic number, so accept only a first element in a group that real
/// files start with, followed by either an explicit VR or a sane implicit length.
bool looksLikeBareDataset(const uint8_t *b, size_t n) {
    if (n < 8) return false;
    uint16_t group = uint16_t(b[0] | (b[1] << 8));
    uint16_t element = uint16_t(b[2] | (b[3] << 8));
    static const uint16_t groups[] = {0x0002, 0x0004, 0x0008, 0x0010, 0x0018, 0x0020, 0x0028};
    bool knownGroup = false;
    for (uint16_t g : groups) knownGroup = knownGroup || g == group;
    if (!knownGroup || element > 0x0200) return false;
    if (isUpper(b[4]) && isUpper(b[5])) return true; // explicit VR
    uint32_t length = uint32_t(b[4]) | (uint32_t(b[5]) << 8) | (uint32_t(b[6]) << 16) | (uint32_t(b[7]) << 24);
    return length < 4096 || length == 0xFFFFFFFFu;
}

void copyTag(DcmItem *ds, const DcmTagKey &key, char *out, size_t len) {
    OFString value;
    if (ds->findAndGetOFStringArray(key, value).good()) ldk::copyString(value.c_str(), out, len);
    else ldk::copyString("", out, len);
}

int32_t uint16Tag(DcmItem *ds, const DcmTagKey &key, int32_t fallback) {
    Uint16 v = 0;
    return ds->findAndGetUint16(key, v).good() ? int32_t(v) : fallback;
}

/// Reads up to two numeric values; returns how many were present.
int32_t doublePair(DcmItem *ds, const DcmTagKey &key, double out[2]) {
    int32_t n = 0;
    for (unsigned long i = 0; i < 2; ++i) {
        Float64 v = 0;
        if (ds->findAndGetFloat64(key, v, i).bad()) break;
        out[i] = v;
        ++n;
    }
    return n;
}

bool loadFailureMeansTruncated(const OFCondition &c) {
    return c == EC_StreamNotifyClient || c == EC_InvalidStream || c == EC_PrematureSequDelimitationItem ||
           c == EC_SequEnd || c == EC_ItemEnd;
}

} // namespace

extern "C" int ldk_dicom_sniff_bytes(const uint8_t *bytes, size_t count) {
    if (bytes == nullptr) return LDK_SNIFF_UNREADABLE;
    if (count >= 132 && std::memcmp(bytes + 128, "DICM", 4) == 0) return LDK_SNIFF_PART10;
    return looksLikeBareDataset(bytes, count) ? LDK_SNIFF_BARE_DATASET : LDK_SNIFF_NOT_DICOM;
}

extern "C" int ldk_dicom_sniff(const char *path) {
    if (path == nullptr) return LDK_SNIFF_UNREADABLE;
    FILE *f = std::fopen(path, "rb");
    if (f == nullptr) return LDK_SNIFF_UNREADABLE;
    uint8_t head[256];
    size_t n = std::fread(head, 1, sizeof head, f);
    std::fclose(f);
    return ldk_dicom_sniff_bytes(head, n);
}

extern "C" int ldk_dicom_open(const char *path, ldk_dicom **out_handle, char *err, size_t err_len) {
    if (out_handle == nullptr || path == nullptr) return ldk::fail(LDK_ERR_INVALID_ARGUMENT, "null argument", err, err_len);
    *out_handle = nullptr;
    try {
        int sniff = ldk_dicom_sniff(path);
        if (sniff == LDK_SNIFF_UNREADABLE) return ldk::fail(LDK_ERR_IO, "cannot open file for reading", err, err_len);
        if (sniff == LDK_SNIFF_NOT_DICOM)
            return ldk::fail(LDK_ERR_NOT_DICOM, "no DICM prefix and no recognisable data element at the start", err, err_len);
        ldk::ensureCodecsRegistered();
        ldk_dicom *h = new (std::nothrow) ldk_dicom();
        if (h == nullptr) return ldk::fail(LDK_ERR_IO, "out of memory", err, err_len);
        h->path = path;
        // Load every element now: decoding needs the pixels anyway and lazy loading would reopen the file.
        OFCondition c = h->file.loadFile(path, EXS_Unknown, EGL_noChange, 0xFFFFFFFFu,
                                         sniff == LDK_SNIFF_PART10 ? ERM_autoDetect : ERM_dataset);
        if (c.bad()) {
            int status = loadFailureMeansTruncated(c) ? LDK_ERR_TRUNCATED : LDK_ERR_DECODE;
            std::string message = std::string(status == LDK_ERR_TRUNCATED ? "file ends inside a data element"
                                                                          : "cannot parse data set") +
                                  " (DCMTK: " + c.text() + ")";
            delete h;
            return ldk::fail(status, message, err, err_len);
        }
        OFString ts;
        DcmMetaInfo *meta = h->file.getMetaInfo();
        if (meta != nullptr && meta->findAndGetOFString(DCM_TransferSyntaxUID, ts).good() && !ts.empty()) {
            h->hasMeta = true;
            h->transferSyntaxUID = ts.c_str();
        } else {
            DcmXfer detected(h->file.getDataset()->getOriginalXfer());
            h->transferSyntaxUID = detected.getXfer() == EXS_Unknown ? "" : detected.getXferID();
        }
        *out_handle = h;
        return LDK_OK;
    } catch (const std::exception &e) {
        return ldk::fail(LDK_ERR_DECODE, std::string("exception while parsing: ") + e.what(), err, err_len);
    } catch (...) {
        return ldk::fail(LDK_ERR_DECODE, "unknown exception while parsing", err, err_len);
    }
}

extern "C" void ldk_dicom_close(ldk_dicom *handle) { delete handle; }

extern "C" void ldk_dicom_get_info(const ldk_dicom *handle, ldk_dicom_info *info) {
    if (handle == nullptr || info == nullptr) return;
    std::memset(info, 0, sizeof *info);
    try {
        DcmDataset *ds = const_cast<DcmFileFormat &>(handle->file).getDataset();
        info->rows = uint16Tag(ds, DCM_Rows, 0);
        info->columns = uint16Tag(ds, DCM_Columns, 0);
        info->samples_per_pixel = uint16Tag(ds, DCM_SamplesPerPixel, 1);
        info->bits_allocated = uint16Tag(ds, DCM_BitsAllocated, 0);
        info->bits_stored = uint16Tag(ds, DCM_BitsStored, info->bits_allocated);
        info->high_bit = uint16Tag(ds, DCM_HighBit, info->bits_stored - 1);
        info->pixel_representation = uint16Tag(ds, DCM_PixelRepresentation, 0);
        info->planar_configuration = uint16Tag(ds, DCM_PlanarConfiguration, 0);
        Sint32 frames = 1;
        info->frames = ds->findAndGetSint32(DCM_NumberOfFrames, frames).good() ? int32_t(frames) : 1;
        info->has_pixel_data = ds->tagExists(DCM_PixelData) ? 1 : 0;
        info->has_meta_header = handle->hasMeta ? 1 : 0;
        ldk::copyString(handle->transferSyntaxUID, info->transfer_syntax_uid, sizeof info->transfer_syntax_uid);
        copyTag(ds, DCM_PhotometricInterpretation, info->photometric, sizeof info->photometric);
        copyTag(ds, DCM_SOPClassUID, info->sop_class_uid, sizeof info->sop_class_uid);
        copyTag(ds, DCM_SOPInstanceUID, info->sop_instance_uid, sizeof info->sop_instance_uid);
        copyTag(ds, DCM_Modality, info->modality, sizeof info->modality);
        info->pixel_spacing_count = doublePair(ds, DCM_PixelSpacing, info->pixel_spacing);
        info->imager_pixel_spacing_count = doublePair(ds, DCM_ImagerPixelSpacing, info->imager_pixel_spacing);
        Float64 v = 0;
        if (ds->findAndGetFloat64(DCM_EstimatedRadiographicMagnificationFactor, v).good()) {
            info->has_magnification = 1;
            info->magnification = v;
        }
        if (ds->findAndGetFloat64(DCM_RescaleSlope, v).good()) {
            info->has_rescale_slope = 1;
            info->rescale_slope = v;
        }
        if (ds->findAndGetFloat64(DCM_RescaleIntercept, v).good()) {
            info->has_rescale_intercept = 1;
            info->rescale_intercept = v;
        }
        int32_t centers = 0, widths = 0;
        double unused = 0;
        while (ds->findAndGetFloat64(DCM_WindowCenter, unused, centers).good()) ++centers;
        while (ds->findAndGetFloat64(DCM_WindowWidth, unused, widths).good()) ++widths;
        info->window_count = centers < widths ? centers : widths;
    } catch (...) {
        // A partially filled struct is still safe: zero rows make the reader fail cleanly.
    }
}

extern "C" int ldk_dicom_get_window(const ldk_dicom *handle, int32_t index, double *center, double *width,
                                    char *explanation, size_t explanation_len) {
    if (handle == nullptr || index < 0) return LDK_ERR_INVALID_ARGUMENT;
    try {
        DcmDataset *ds = const_cast<DcmFileFormat &>(handle->file).getDataset();
        Float64 c = 0, w = 0;
        if (ds->findAndGetFloat64(DCM_WindowCenter, c, index).bad() ||
            ds->findAndGetFloat64(DCM_WindowWidth, w, index).bad())
            return LDK_ERR_INVALID_ARGUMENT;
        if (center) *center = c;
        if (width) *width = w;
        OFString text;
        ldk::copyString(ds->findAndGetOFString(DCM_WindowCenterWidthExplanation, text, index).good() ? text.c_str() : "",
                        explanation, explanation_len);
        return LDK_OK;
    } catch (...) {
        return LDK_ERR_INVALID_ARGUMENT;
    }
}
