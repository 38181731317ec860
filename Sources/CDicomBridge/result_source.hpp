// The source image of a result object: loaded once, checked, and the facts both writers reference.
#ifndef LDK_RESULT_SOURCE_HPP
#define LDK_RESULT_SOURCE_HPP

#include "bridge_internal.hpp"
#include "dicom_results.h"

#include <string>

namespace ldk {

/// A DICOM image that SR and GSPS objects describe. Its dataset carries patient identity: it stays in here.
struct ResultSource {
    DcmFileFormat file;
    std::string sopClassUID, sopInstanceUID, studyInstanceUID, seriesInstanceUID;
    long rows = 0, columns = 0, frames = 1;

    DcmDataset &dataset() { return *file.getDataset(); }
    /// "1" for a multi-frame image (ingest reads its first frame), empty otherwise.
    std::string referencedFrames() const { return frames > 1 ? "1" : ""; }
};

/// Loads and checks `path`: a DICOM image with SOP, study and series UIDs and a size. LDK_OK or an error
/// status with a message naming what is missing.
int loadResultSource(const char *path, ResultSource &source, std::string &message);

/// Checks the arguments common to both writers.
int checkFindings(const ldk_findings *f, std::string &message);

} // namespace ldk

#endif
