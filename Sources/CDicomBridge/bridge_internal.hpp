// Shared internals of the bridge: the handle, codec registration and error copying.
#ifndef LDK_BRIDGE_INTERNAL_HPP
#define LDK_BRIDGE_INTERNAL_HPP

#include "dicom_bridge.h"

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dctk.h"

#include <cstdint>
#include <string>
#include <vector>

struct ldk_dicom {
    DcmFileFormat file;
    std::string path;
    std::string transferSyntaxUID; // from the meta header when present, else what DCMTK detected
    bool hasMeta = false;
    bool jpeglsChecked = false; // low-precision JPEG-LS thresholds made explicit (once per file)
};

namespace ldk {

/// Registers DCMTK's codecs and silences its logger, exactly once per process.
void ensureCodecsRegistered();

/// Copy `message` into a caller buffer, always NUL-terminated.
void copyString(const std::string &message, char *buffer, size_t length);

/// Stores `message` and returns `status`, so error paths stay one line.
int fail(int status, const std::string &message, char *err, size_t errLen);

bool isJPEG2000Syntax(const std::string &uid);

/// Decode one JPEG 2000 / HTJ2K frame (codestream or JP2) into stored values.
/// `samples` receives rows*columns*spp interleaved values in codestream precision/sign.
int decodeJ2KFrame(const uint8_t *data, size_t size, int32_t rows, int32_t columns, int32_t samplesPerPixel,
                   std::vector<int32_t> &samples, bool &codestreamSigned, int32_t &codestreamPrecision,
                   std::string &message);

/// Collect the bytes of frame `frame` from an encapsulated Pixel Data element.
int encapsulatedFrameBytes(DcmItem *dataset, int32_t frame, int32_t frameCount, std::vector<uint8_t> &bytes,
                           std::string &message);

/// Decodes a single-component JPEG lossless (process 14) frame into stored values; false when
/// the stream uses something this fast path does not handle (the caller then uses DCMTK).
bool decodeJPEGLossless(const uint8_t *data, size_t size, int32_t rows, int32_t columns, int32_t bitsStored,
                        bool pixelsSigned, int32_t *out);

/// Makes JPEG-LS streams of 2..7 bits decodable by DCMTK's CharLS (see jpegls_thresholds.cpp).
void patchLowPrecisionJPEGLS(DcmItem *dataset, int32_t frameCount);

} // namespace ldk

#endif
