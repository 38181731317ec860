// The C boundary both result-object writers (SR and GSPS) share: argument checks, the source image, and one way
// to turn a failed DCMTK call or an exception into a status and a message.
#ifndef LDK_RESULT_WRITER_HPP
#define LDK_RESULT_WRITER_HPP

#include "result_source.hpp"

#include <functional>
#include <stdexcept>
#include <string>

namespace ldk {

/// Thrown inside a result-object builder so that every DCMTK call stays one line; caught by `writeResultObject`.
struct ResultWriteError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Throws `ResultWriteError` "what: DCMTK's reason" when `c` failed.
void check(OFCondition c, const char *what);

/// Runs one result-object writer behind the C API: checks `path` and `f`, loads the source image, calls `write`
/// (which saves the object at `path` and returns its SOP Instance UID) and copies the UID out. Every failure is a
/// status with a message naming `object` ("SR", "GSPS"); no exception crosses the C boundary.
int writeResultObject(const char *object, const char *path, const ldk_findings *f, char *outSopUID, size_t uidLen,
                      char *err, size_t errLen, const std::function<std::string(ResultSource &)> &write);

} // namespace ldk

#endif
