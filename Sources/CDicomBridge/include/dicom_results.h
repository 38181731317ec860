// C API for the clinical result objects: a Comprehensive SR (TID 1500 measurement report) and a Grayscale
// Softcopy Presentation State with the landmarks found on one DICOM image, and a reader for such SRs.
//
// Patient identity: the writers copy the source image's patient and study modules into the objects they write,
// inside C++. No patient identifier ever crosses this boundary, in either direction: the reader returns only
// UIDs, codes, coordinates and algorithm facts.
#ifndef DICOM_RESULTS_H
#define DICOM_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One landmark of one image, as both objects record it.
typedef struct ldk_landmark_finding {
    const char *name;     ///< schema landmark name: code value and meaning, tracking identifier, label
    int32_t present;      ///< 1 found (peak >= tau), 0 not found
    double column, row;   ///< DICOM image coordinates: (0,0) is the top-left corner of the first pixel
    double confidence;    ///< heatmap peak
    int32_t has_mm;       ///< 0 when the image has no spacing
    double x_mm, y_mm;
} ldk_landmark_finding;

/// Everything one SR or GSPS says about one source image.
typedef struct ldk_findings {
    const char *source_path;        ///< the DICOM image the landmarks were found on (read, never written)
    const char *scheme_designator;  ///< private coding scheme of the landmark names ("99…", at most 16 chars)
    const char *scheme_name;        ///< the schema's name (Coding Scheme Name)
    const char *scheme_uid;         ///< Coding Scheme UID of that scheme
    const char *algorithm_name;
    const char *algorithm_version;
    const char *model_identifier;
    const char *device_uid;         ///< Device Observer UID (one per model)
    double presence_threshold;      ///< tau
    const char *spacing_source;     ///< "PixelSpacing", "ImagerPixelSpacing", "manifest", … or "none"
    const ldk_landmark_finding *landmarks;
    int32_t landmark_count;
} ldk_findings;

/// Writes a Comprehensive SR to `path` (the caller renames it into place). Its SOP Instance UID is copied
/// into `out_sop_uid`. Fails with a message when the source is not a readable DICOM image.
int ldk_sr_write(const char *path, const ldk_findings *findings, char *out_sop_uid, size_t uid_len, char *err,
                 size_t err_len);

/// Writes a Grayscale Softcopy Presentation State to `path`: one POINT graphic and one text label per found
/// landmark on a graphic layer, and the names of those not found in a corner note.
int ldk_gsps_write(const char *path, const ldk_findings *findings, char *out_sop_uid, size_t uid_len, char *err,
                   size_t err_len);

/// What an SR says about itself and the image it describes.
typedef struct ldk_sr_info {
    char sop_class_uid[80];
    char sop_instance_uid[80];
    char referenced_sop_class_uid[80];     ///< first image referenced anywhere in the document
    char referenced_sop_instance_uid[80];
    char coding_scheme_designator[24];     ///< of the first Finding code
    char coding_scheme_name[72];           ///< from the Coding Scheme Identification Sequence, when listed
    char algorithm_name[72];
    char algorithm_version[72];
    char model_identifier[72];             ///< Device Observer Model Name
    int32_t has_presence_threshold;
    double presence_threshold;
    int32_t landmark_count;                ///< measurement groups with a Finding code
} ldk_sr_info;

/// One measurement group read back.
typedef struct ldk_sr_landmark {
    char code_value[72];
    char coding_scheme_designator[24];
    char code_meaning[72];
    int32_t present;                       ///< 1 found, 0 recorded as not found
    int32_t has_point;
    double column, row;                    ///< DICOM image coordinates of the SCOORD POINT
    char referenced_sop_instance_uid[80];  ///< the image the point was selected from
    int32_t has_confidence;
    double confidence;
} ldk_sr_landmark;

/// Reads an SR: `info` always, and up to `capacity` landmarks. Returns LDK_ERR_BUFFER_TOO_SMALL (with
/// info->landmark_count set) when `capacity` is too small.
int ldk_sr_read(const char *path, ldk_sr_info *info, ldk_sr_landmark *landmarks, size_t capacity, char *err,
                size_t err_len);

#ifdef __cplusplus
}
#endif
#endif
