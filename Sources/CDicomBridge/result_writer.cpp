// The shared C boundary of dicom_sr_write.cpp and dicom_gsps_write.cpp.
#include "result_writer.hpp"

namespace ldk {

void check(OFCondition c, const char *what) {
    if (c.bad()) throw ResultWriteError(std::string(what) + ": " + c.text());
}

int writeResultObject(const char *object, const char *path, const ldk_findings *f, char *outSopUID, size_t uidLen,
                      char *err, size_t errLen, const std::function<std::string(ResultSource &)> &write) {
    std::string message;
    if (path == nullptr) return fail(LDK_ERR_INVALID_ARGUMENT, "null path", err, errLen);
    if (int s = checkFindings(f, message)) return fail(s, message, err, errLen);
    const std::string name(object);
    try {
        ResultSource source;
        if (int s = loadResultSource(f->source_path, source, message)) return fail(s, message, err, errLen);
        copyString(write(source), outSopUID, uidLen);
        return LDK_OK;
    } catch (const ResultWriteError &e) {
        return fail(LDK_ERR_WRITE, name + " not written: " + e.what(), err, errLen);
    } catch (const std::exception &e) {
        return fail(LDK_ERR_WRITE, "exception while writing the " + name + ": " + e.what(), err, errLen);
    } catch (...) {
        return fail(LDK_ERR_WRITE, "unknown exception while writing the " + name, err, errLen);
    }
}

} // namespace ldk
