// Loading and checking the source image of SR and GSPS objects.
#include "result_source.hpp"

#include <cstdio>
#include <cstring>

namespace ldk {

int loadResultSource(const char *path, ResultSource &source, std::string &message) {
    ensureCodecsRegistered();
    OFCondition status = source.file.loadFile(path);
    if (status.bad()) {
        message = std::string("cannot read the source DICOM: ") + status.text();
        return LDK_ERR_NOT_DICOM;
    }
    DcmDataset &ds = source.dataset();
    OFString value;
    struct Required { const DcmTagKey &tag; std::string *into; const char *name; };
    Required required[] = {
        {DCM_SOPClassUID, &source.sopClassUID, "SOP Class UID"},
        {DCM_SOPInstanceUID, &source.sopInstanceUID, "SOP Instance UID"},
        {DCM_StudyInstanceUID, &source.studyInstanceUID, "Study Instance UID"},
        {DCM_SeriesInstanceUID, &source.seriesInstanceUID, "Series Instance UID"},
    };
    for (auto &r : required) {
        if (ds.findAndGetOFString(r.tag, value).bad() || value.empty()) {
            // Results must point at the image they describe; without these UIDs a viewer cannot find it.
            message = std::string("the source has no ") + r.name + ", so no object can reference it";
            return LDK_ERR_UNSUPPORTED;
        }
        *r.into = value.c_str();
    }
    Uint16 rows = 0, columns = 0;
    if (ds.findAndGetUint16(DCM_Rows, rows).bad() || ds.findAndGetUint16(DCM_Columns, columns).bad() || rows == 0 ||
        columns == 0) {
        message = "the source is not an image (no Rows/Columns)";
        return LDK_ERR_ZERO_SIZE;
    }
    source.rows = rows;
    source.columns = columns;
    Sint32 frames = 1;
    if (ds.findAndGetSint32(DCM_NumberOfFrames, frames).good() && frames > 1) source.frames = frames;
    return LDK_OK;
}

int checkFindings(const ldk_findings *f, std::string &message) {
    if (f == nullptr || f->source_path == nullptr || f->scheme_designator == nullptr || f->scheme_name == nullptr ||
        f->algorithm_name == nullptr || f->algorithm_version == nullptr || f->model_identifier == nullptr ||
        f->spacing_source == nullptr || (f->landmark_count > 0 && f->landmarks == nullptr)) {
        message = "null argument";
        return LDK_ERR_INVALID_ARGUMENT;
    }
    if (std::strncmp(f->scheme_designator, "99", 2) != 0 || std::strlen(f->scheme_designator) > 16) {
        message = std::string("coding scheme designator '") + f->scheme_designator + "' is not private (99…, 16 characters)";
        return LDK_ERR_INVALID_ARGUMENT;
    }
    for (int32_t i = 0; i < f->landmark_count; ++i) {
        if (f->landmarks[i].name == nullptr || *f->landmarks[i].name == '\0') {
            message = "landmark " + std::to_string(i + 1) + " has no name";
            return LDK_ERR_INVALID_ARGUMENT;
        }
    }
    return LDK_OK;
}

} // namespace ldk
