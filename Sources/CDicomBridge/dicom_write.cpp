// Writing single-frame DX images through DCMTK, in any syntax its encoders support.
#include "bridge_internal.hpp"

#include "dcmtk/dcmdata/dcrlerp.h"
#include "dcmtk/dcmjpeg/djrplol.h"
#include "dcmtk/dcmjpeg/djrploss.h"
#include "dcmtk/dcmjpls/djrparam.h"

#include <cstdio>
#include <cstring>
#include <memory>

namespace {

std::string joinDS(const double *values, int32_t count) {
    std::string s;
    for (int32_t i = 0; i < count; ++i) {
        if (i) s += "\\";
        s += ldk::decimalString(values[i], 14);
    }
    return s;
}

/// Representation parameters for the encapsulated syntaxes; null for native ones.
std::unique_ptr<DcmRepresentationParameter> parametersFor(E_TransferSyntax xfer, int32_t quality) {
    switch (xfer) {
    case EXS_JPEGProcess14SV1: return std::make_unique<DJ_RPLossless>(1, 0);
    case EXS_JPEGProcess14: return std::make_unique<DJ_RPLossless>(1, 0);
    case EXS_JPEGProcess1:
    case EXS_JPEGProcess2_4: return std::make_unique<DJ_RPLossy>(quality > 0 && quality <= 100 ? quality : 90);
    case EXS_JPEGLSLossless: return std::make_unique<DJLSRepresentationParameter>(0, OFTrue);
    case EXS_JPEGLSLossy: return std::make_unique<DJLSRepresentationParameter>(2, OFFalse);
    case EXS_RLELossless: return std::make_unique<DcmRLERepresentationParameter>();
    default: return nullptr;
    }
}

} // namespace

extern "C" int ldk_dicom_write(const char *path, const ldk_dicom_write_params *p, const uint16_t *pixels,
                               char *out_sop_uid, size_t uid_len, char *err, size_t err_len) {
    if (path == nullptr || p == nullptr || pixels == nullptr || p->transfer_syntax_uid == nullptr)
        return ldk::fail(LDK_ERR_INVALID_ARGUMENT, "null argument", err, err_len);
    if (p->rows <= 0 || p->columns <= 0 || p->rows > 65535 || p->columns > 65535)
        return ldk::fail(LDK_ERR_ZERO_SIZE, "rows and columns must be 1..65535", err, err_len);
    if (p->bits_stored < 8 || p->bits_stored > 16)
        return ldk::fail(LDK_ERR_INCONSISTENT_BITS, "bits stored must be 8..16", err, err_len);
    try {
        ldk::ensureCodecsRegistered();
        DcmXfer xfer(p->transfer_syntax_uid);
        if (xfer.getXfer() == EXS_Unknown)
            return ldk::fail(LDK_ERR_UNSUPPORTED_SYNTAX, std::string("unknown transfer syntax ") + p->transfer_syntax_uid,
                             err, err_len);
        E_TransferSyntax ts = xfer.getXfer();
        auto parameters = parametersFor(ts, p->lossy_quality);
        if (xfer.isEncapsulated() && parameters == nullptr)
            return ldk::fail(LDK_ERR_UNSUPPORTED_SYNTAX,
                             std::string("DCMTK has no encoder for ") + p->transfer_syntax_uid, err, err_len);
        if (ts == EXS_JPEGProcess1 && p->bits_stored > 8)
            return ldk::fail(LDK_ERR_INCONSISTENT_BITS, "JPEG baseline needs bits stored 8", err, err_len);
        if (ts == EXS_JPEGProcess2_4 && p->bits_stored > 12)
            return ldk::fail(LDK_ERR_INCONSISTENT_BITS, "JPEG extended needs bits stored <= 12", err, err_len);

        const bool eightBit = p->bits_stored <= 8;
        const size_t count = size_t(p->rows) * size_t(p->columns);
        DcmFileFormat file;
        DcmDataset *ds = file.getDataset();
        char uid[100];
        std::string sopInstance = p->sop_instance_uid && *p->sop_instance_uid
                                      ? std::string(p->sop_instance_uid)
                                      : std::string(dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT));
        LDK_CHECK(ds->putAndInsertString(DCM_SOPClassUID, UID_DigitalXRayImageStorageForPresentation));
        LDK_CHECK(ds->putAndInsertString(DCM_SOPInstanceUID, sopInstance.c_str()));
        LDK_CHECK(ds->putAndInsertString(DCM_StudyInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_STUDY_UID_ROOT)));
        LDK_CHECK(ds->putAndInsertString(DCM_SeriesInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_SERIES_UID_ROOT)));
        LDK_CHECK(ds->putAndInsertString(DCM_Modality, "DX"));
        LDK_CHECK(ds->putAndInsertString(DCM_ImageType, "ORIGINAL\\PRIMARY"));
        LDK_CHECK(ds->putAndInsertString(DCM_PresentationIntentType, "FOR PRESENTATION"));
        LDK_CHECK(ds->putAndInsertString(DCM_PatientName, p->patient_name ? p->patient_name : ""));
        LDK_CHECK(ds->putAndInsertString(DCM_PatientID, p->patient_id ? p->patient_id : ""));
        LDK_CHECK(ds->putAndInsertString(DCM_PatientBirthDate, ""));
        LDK_CHECK(ds->putAndInsertString(DCM_PatientSex, ""));
        LDK_CHECK(ds->putAndInsertString(DCM_StudyDate, ""));
        LDK_CHECK(ds->putAndInsertString(DCM_StudyTime, ""));
        LDK_CHECK(ds->putAndInsertString(DCM_AccessionNumber, ""));
        LDK_CHECK(ds->putAndInsertString(DCM_ReferringPhysicianName, ""));
        LDK_CHECK(ds->putAndInsertString(DCM_StudyID, ""));
        LDK_CHECK(ds->putAndInsertString(DCM_SeriesNumber, ""));
        LDK_CHECK(ds->putAndInsertString(DCM_InstanceNumber, ""));
        LDK_CHECK(ds->putAndInsertString(DCM_Manufacturer, ""));
        LDK_CHECK(ds->putAndInsertString(DCM_PatientOrientation, ""));
        LDK_CHECK(ds->putAndInsertUint16(DCM_SamplesPerPixel, 1));
        LDK_CHECK(ds->putAndInsertString(DCM_PhotometricInterpretation, p->monochrome1 ? "MONOCHROME1" : "MONOCHROME2"));
        LDK_CHECK(ds->putAndInsertString(DCM_PresentationLUTShape, p->monochrome1 ? "INVERSE" : "IDENTITY"));
        LDK_CHECK(ds->putAndInsertUint16(DCM_Rows, Uint16(p->rows)));
        LDK_CHECK(ds->putAndInsertUint16(DCM_Columns, Uint16(p->columns)));
        LDK_CHECK(ds->putAndInsertUint16(DCM_BitsAllocated, eightBit ? 8 : 16));
        LDK_CHECK(ds->putAndInsertUint16(DCM_BitsStored, Uint16(p->bits_stored)));
        LDK_CHECK(ds->putAndInsertUint16(DCM_HighBit, Uint16(p->bits_stored - 1)));
        LDK_CHECK(ds->putAndInsertUint16(DCM_PixelRepresentation, 0));
        if (p->has_pixel_spacing) LDK_CHECK(ds->putAndInsertOFStringArray(DCM_PixelSpacing, joinDS(p->pixel_spacing, 2).c_str()));
        if (p->has_imager_pixel_spacing)
            LDK_CHECK(ds->putAndInsertOFStringArray(DCM_ImagerPixelSpacing, joinDS(p->imager_pixel_spacing, 2).c_str()));
        if (p->has_magnification)
            LDK_CHECK(ds->putAndInsertOFStringArray(DCM_EstimatedRadiographicMagnificationFactor,
                                                    ldk::decimalString(p->magnification, 14).c_str()));
        if (p->has_rescale) {
            LDK_CHECK(ds->putAndInsertOFStringArray(DCM_RescaleSlope, ldk::decimalString(p->rescale_slope, 14).c_str()));
            LDK_CHECK(ds->putAndInsertOFStringArray(DCM_RescaleIntercept, ldk::decimalString(p->rescale_intercept, 14).c_str()));
            LDK_CHECK(ds->putAndInsertString(DCM_RescaleType, "US"));
        }
        if (p->window_count > 0 && p->window_centers && p->window_widths) {
            LDK_CHECK(ds->putAndInsertOFStringArray(DCM_WindowCenter, joinDS(p->window_centers, p->window_count).c_str()));
            LDK_CHECK(ds->putAndInsertOFStringArray(DCM_WindowWidth, joinDS(p->window_widths, p->window_count).c_str()));
        }
        if (eightBit) {
            std::vector<Uint8> bytes(count);
            for (size_t i = 0; i < count; ++i) bytes[i] = Uint8(pixels[i]);
            LDK_CHECK(ds->putAndInsertUint8Array(DCM_PixelData, bytes.data(), Uint32(count)));
        } else {
            LDK_CHECK(ds->putAndInsertUint16Array(DCM_PixelData, pixels, Uint32(count)));
        }
        if (xfer.isEncapsulated() || ts == EXS_DeflatedLittleEndianExplicit) {
            OFCondition c = ds->chooseRepresentation(ts, parameters.get());
            if (c.bad() || !ds->canWriteXfer(ts))
                return ldk::fail(LDK_ERR_WRITE,
                                 std::string("DCMTK cannot encode to ") + p->transfer_syntax_uid +
                                     (c.bad() ? std::string(": ") + c.text() : std::string()),
                                 err, err_len);
        }
        LDK_CHECK(file.saveFile(path, ts, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, EWM_fileformat));
        ldk::copyString(sopInstance, out_sop_uid, uid_len);
        return LDK_OK;
    } catch (const std::exception &e) {
        return ldk::fail(LDK_ERR_WRITE, std::string("exception while writing: ") + e.what(), err, err_len);
    } catch (...) {
        return ldk::fail(LDK_ERR_WRITE, "unknown exception while writing", err, err_len);
    }
}
