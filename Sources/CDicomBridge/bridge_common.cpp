// Process-wide setup shared by reader and writer.
#include "bridge_internal.hpp"

#include "dcmtk/dcmdata/dcrledrg.h"
#include "dcmtk/dcmdata/dcrleerg.h"
#include "dcmtk/dcmjpeg/djdecode.h"
#include "dcmtk/dcmjpeg/djencode.h"
#include "dcmtk/dcmjpls/djdecode.h"
#include "dcmtk/dcmjpls/djencode.h"
#include "dcmtk/oflog/oflog.h"

#include <cstdio>
#include <cstring>
#include <mutex>

extern "C" int ldk_dicom_bridge_version(void) { return 2; }

namespace ldk {

void ensureCodecsRegistered() {
    static std::once_flag once;
    std::call_once(once, [] {
        // DCMTK's logger writes to stderr; errors reach callers through return values instead.
        OFLog::configure(OFLogger::OFF_LOG_LEVEL);
        // EDC_never: keep JPEG YCbCr samples as decoded, because "stored values" of YBR JPEG
        // files are Y,Cb,Cr (conformance README); luminance is then simply Y.
        DJDecoderRegistration::registerCodecs(EDC_never, EUC_never, EPC_default);
        DJLSDecoderRegistration::registerCodecs(EJLSUC_never, EJLSPC_restore);
        DcmRLEDecoderRegistration::registerCodecs();
        // Encoders keep the caller's SOP Instance UID (EUC_never) so round trips can check it.
        DJEncoderRegistration::registerCodecs(ECC_lossyYCbCr, EUC_never);
        DJLSEncoderRegistration::registerCodecs(0, 0, 0, 0, OFTrue, 0, OFTrue, EJLSUC_never);
        DcmRLEEncoderRegistration::registerCodecs();
    });
}

void copyString(const std::string &message, char *buffer, size_t length) {
    if (buffer == nullptr || length == 0) return;
    size_t n = message.size() < length - 1 ? message.size() : length - 1;
    std::memcpy(buffer, message.data(), n);
    buffer[n] = '\0';
}

int fail(int status, const std::string &message, char *err, size_t errLen) {
    copyString(message, err, errLen);
    return status;
}

std::string decimalString(double value, int mostDigits) {
    char buffer[64];
    for (int digits = mostDigits; digits >= 1; --digits) {
        std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
        if (std::strlen(buffer) <= 16) return buffer;
    }
    return "0";
}

bool isJPEG2000Syntax(const std::string &uid) {
    return uid == "1.2.840.10008.1.2.4.90" || uid == "1.2.840.10008.1.2.4.91" ||
           uid == "1.2.840.10008.1.2.4.201" || uid == "1.2.840.10008.1.2.4.202" ||
           uid == "1.2.840.10008.1.2.4.203";
}

} // namespace ldk
