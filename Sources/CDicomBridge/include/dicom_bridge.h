// C API over DCMTK (parsing, JPEG/JPEG-LS/RLE codecs, writing) and OpenJPEG (JPEG 2000, HTJ2K).
//
// Rules of this boundary:
//  * plain C types only; buffers are caller-owned, the one handle type has an explicit close;
//  * errors come back as an ldk_status plus a message copied into a caller buffer;
//  * no C++ exception crosses it;
//  * no patient identifier (name, ID, birth date, ...) is ever copied out: the info struct
//    only carries technical attributes.
#ifndef DICOM_BRIDGE_H
#define DICOM_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

int ldk_dicom_bridge_version(void);

/// Outcome of a bridge call. Swift maps each to a DICOMError case.
typedef enum ldk_status {
    LDK_OK = 0,
    LDK_ERR_NOT_DICOM = 1,
    LDK_ERR_TRUNCATED = 2,
    LDK_ERR_NO_PIXEL_DATA = 3,
    LDK_ERR_ZERO_SIZE = 4,
    LDK_ERR_UNSUPPORTED_SYNTAX = 5,
    LDK_ERR_INCONSISTENT_BITS = 6,
    LDK_ERR_DECODE = 7,
    LDK_ERR_FRAME_RANGE = 8,
    LDK_ERR_IO = 9,
    LDK_ERR_UNSUPPORTED = 10,
    LDK_ERR_INVALID_ARGUMENT = 11,
    LDK_ERR_WRITE = 12,
    LDK_ERR_BUFFER_TOO_SMALL = 13
} ldk_status;

/// How a file looks from its first bytes.
typedef enum ldk_sniff_result {
    LDK_SNIFF_UNREADABLE = -1,
    LDK_SNIFF_NOT_DICOM = 0,
    LDK_SNIFF_PART10 = 1,      ///< 128-byte preamble + "DICM"
    LDK_SNIFF_BARE_DATASET = 2 ///< no meta header, starts with a plausible data element
} ldk_sniff_result;

/// Classify a file by content. Reads at most 256 bytes.
int ldk_dicom_sniff(const char *path);
/// Same on bytes already in memory (the folder scan reads the head once for every format).
int ldk_dicom_sniff_bytes(const uint8_t *bytes, size_t count);

typedef struct ldk_dicom ldk_dicom;

/// Technical header attributes. Strings are NUL-terminated and truncated to fit.
typedef struct ldk_dicom_info {
    int32_t rows, columns, frames, samples_per_pixel;
    int32_t bits_allocated, bits_stored, high_bit, pixel_representation, planar_configuration;
    int32_t has_pixel_data;
    int32_t has_meta_header;
    char transfer_syntax_uid[80];
    char photometric[40];
    char sop_class_uid[80];
    char sop_instance_uid[80];
    char modality[24];
    int32_t pixel_spacing_count; ///< number of values present (0, 1 or 2)
    double pixel_spacing[2];     ///< (row, column) in mm
    int32_t imager_pixel_spacing_count;
    double imager_pixel_spacing[2];
    int32_t has_magnification;
    double magnification;
    int32_t has_rescale_slope, has_rescale_intercept;
    double rescale_slope, rescale_intercept;
    int32_t window_count; ///< number of (centre, width) pairs
} ldk_dicom_info;

/// Parse a file (Part-10 or bare implicit-LE dataset) fully into memory.
int ldk_dicom_open(const char *path, ldk_dicom **out_handle, char *err, size_t err_len);
void ldk_dicom_close(ldk_dicom *handle);
void ldk_dicom_get_info(const ldk_dicom *handle, ldk_dicom_info *info);

/// Window preset `index` (0-based). Returns LDK_OK or LDK_ERR_INVALID_ARGUMENT.
int ldk_dicom_get_window(const ldk_dicom *handle, int32_t index, double *center, double *width,
                         char *explanation, size_t explanation_len);

typedef enum ldk_lut_kind {
    LDK_LUT_MODALITY = 0, ///< Modality LUT Sequence (0028,3000), first item
    LDK_LUT_VOI = 1,      ///< VOI LUT Sequence (0028,3010), first item
    LDK_LUT_PALETTE_RED = 2,
    LDK_LUT_PALETTE_GREEN = 3,
    LDK_LUT_PALETTE_BLUE = 4
} ldk_lut_kind;

/// Query a lookup table. Returns 1 when present and usable (entries copied if `capacity`
/// suffices; `*count` is always set), 0 when absent, -1 when present but unusable (empty or
/// malformed; `explanation` then says why).
int ldk_dicom_get_lut(const ldk_dicom *handle, int32_t kind, int32_t *first_mapped, int32_t *bits_per_entry,
                      int32_t *count, uint16_t *entries, size_t capacity, char *explanation, size_t explanation_len);

/// Colour model of a decoded frame's samples.
typedef enum ldk_colour_model {
    LDK_COLOUR_MONOCHROME = 0,
    LDK_COLOUR_RGB = 1,     ///< R,G,B interleaved (also JPEG 2000 after its inverse RCT/ICT)
    LDK_COLOUR_YBR = 2,     ///< Y,Cb,Cr interleaved, full resolution
    LDK_COLOUR_PALETTE = 3  ///< palette indices
} ldk_colour_model;

/// Decode frame `frame` (0-based) into `out` as stored values: row-major, samples interleaved,
/// signed data sign-extended from Bits Stored, unsigned data masked to Bits Stored; 1-bit data as 0/1,
/// native YBR_FULL_422 expanded to Y,Cb,Cr per pixel.
/// `capacity` is in int32 elements and must be at least rows*columns*samples_per_pixel.
int ldk_dicom_decode_frame(ldk_dicom *handle, int32_t frame, int32_t *out, size_t capacity,
                           int32_t *colour_model, char *err, size_t err_len);

/// Parameters of a single-frame DX image to write. Pointers may be NULL where noted.
typedef struct ldk_dicom_write_params {
    int32_t rows, columns, bits_stored; ///< bits_stored 8..16; <= 8 writes 8 bits allocated
    int32_t monochrome1;                ///< 0 = MONOCHROME2, 1 = MONOCHROME1
    const char *transfer_syntax_uid;
    const char *sop_instance_uid; ///< NULL: a new UID is generated
    const char *patient_name;     ///< NULL: empty (type 2)
    const char *patient_id;       ///< NULL: empty (type 2)
    int32_t has_pixel_spacing;
    double pixel_spacing[2];
    int32_t has_imager_pixel_spacing;
    double imager_pixel_spacing[2];
    int32_t has_magnification;
    double magnification;
    int32_t has_rescale;
    double rescale_slope, rescale_intercept;
    int32_t window_count;
    const double *window_centers;
    const double *window_widths;
    int32_t lossy_quality; ///< 1..100 for JPEG baseline/extended
} ldk_dicom_write_params;

/// Write `pixels` (rows*columns stored values) to `path` (the caller renames it into place).
/// The SOP Instance UID used is copied into `out_sop_uid`.
int ldk_dicom_write(const char *path, const ldk_dicom_write_params *params, const uint16_t *pixels,
                    char *out_sop_uid, size_t uid_len, char *err, size_t err_len);

/// Layout and encoding of any image's pixels, for conformance and round-trip files: monochrome or colour, 1 to 16
/// bits, signed or not, several frames, any syntax DCMTK encodes losslessly plus JPEG 2000 lossless (OpenJPEG).
typedef struct ldk_dicom_pixel_params {
    int32_t rows, columns, frames, samples_per_pixel;
    int32_t bits_allocated;       ///< 1, 8 or 16
    int32_t bits_stored;          ///< 1..bits_allocated
    int32_t pixel_representation; ///< 0 unsigned, 1 two's complement
    int32_t planar_configuration; ///< colour, native syntaxes only: 0 interleaved, 1 by plane
    const char *photometric;      ///< MONOCHROME1, MONOCHROME2, RGB, YBR_FULL, YBR_FULL_422 (native: chroma halved)
    const char *transfer_syntax_uid;
    int32_t pixel_data_ow;        ///< native: 1 writes VR OW (16-bit words, byte-swapped in big endian), 0 OB (<= 8 bits)
    int32_t max_fragment_bytes;   ///< encapsulated: > 0 splits each frame over fragments of at most this many bytes
    int32_t empty_offset_table;   ///< encapsulated: 1 leaves the Basic Offset Table empty
} ldk_dicom_pixel_params;

/// Write `count` = frames*rows*columns*samples stored values (interleaved, full resolution; for YBR_FULL_422 each
/// pixel pair's chroma is taken from its first pixel) to `path` as a Secondary Capture image.
int ldk_dicom_write_pixels(const char *path, const ldk_dicom_pixel_params *params, const int32_t *stored, size_t count,
                           char *err, size_t err_len);

#ifdef __cplusplus
}
#endif
#endif
