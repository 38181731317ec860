// The coded concepts of LandmarkKit's SR, shared by its writer and reader so the two cannot drift apart.
#ifndef LDK_RESULT_CODES_HPP
#define LDK_RESULT_CODES_HPP

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmsr/dsrcodvl.h"

namespace ldk {
namespace codes {

/// LandmarkKit's own concepts (confidence, tau, presence, mm position, spacing source). DICOM has no standard
/// code for a heatmap peak or a presence threshold, so they live in a private scheme ("99" = private, PS3.16).
constexpr const char *toolkitDesignator = "99LDK";
constexpr const char *toolkitSchemeName = "LandmarkKit concepts";

inline DSRCodedEntryValue toolkit(const char *value, const char *meaning) {
    return DSRCodedEntryValue(value, toolkitDesignator, meaning);
}

inline DSRCodedEntryValue confidence() { return toolkit("CONFIDENCE", "Landmark confidence (heatmap peak)"); }
inline DSRCodedEntryValue presenceThreshold() { return toolkit("PRESENCE-TAU", "Presence threshold"); }
inline DSRCodedEntryValue presence() { return toolkit("PRESENCE", "Landmark presence"); }
inline DSRCodedEntryValue columnMM() { return toolkit("POSITION-X-MM", "Landmark position along columns (x)"); }
inline DSRCodedEntryValue rowMM() { return toolkit("POSITION-Y-MM", "Landmark position along rows (y)"); }
inline DSRCodedEntryValue spacingSource() { return toolkit("SPACING-SOURCE", "Pixel spacing source"); }

// Standard concepts (DCM = DICOM PS3.16, SCT = SNOMED CT, UCUM units).
inline DSRCodedEntryValue measurementReport() { return DSRCodedEntryValue("126000", "DCM", "Imaging Measurement Report"); }
inline DSRCodedEntryValue language() { return DSRCodedEntryValue("121049", "DCM", "Language of Content Item and Descendants"); }
inline DSRCodedEntryValue english() { return DSRCodedEntryValue("eng", "RFC5646", "English"); }
inline DSRCodedEntryValue observerType() { return DSRCodedEntryValue("121005", "DCM", "Observer Type"); }
inline DSRCodedEntryValue device() { return DSRCodedEntryValue("121007", "DCM", "Device"); }
inline DSRCodedEntryValue deviceUID() { return DSRCodedEntryValue("121012", "DCM", "Device Observer UID"); }
inline DSRCodedEntryValue deviceName() { return DSRCodedEntryValue("121013", "DCM", "Device Observer Name"); }
inline DSRCodedEntryValue deviceManufacturer() { return DSRCodedEntryValue("121014", "DCM", "Device Observer Manufacturer"); }
inline DSRCodedEntryValue deviceModelName() { return DSRCodedEntryValue("121015", "DCM", "Device Observer Model Name"); }
inline DSRCodedEntryValue procedureReported() { return DSRCodedEntryValue("121058", "DCM", "Procedure reported"); }
inline DSRCodedEntryValue radiography() { return DSRCodedEntryValue("363680008", "SCT", "Radiographic imaging procedure"); }
inline DSRCodedEntryValue imageLibrary() { return DSRCodedEntryValue("111028", "DCM", "Image Library"); }
inline DSRCodedEntryValue imageLibraryGroup() { return DSRCodedEntryValue("126200", "DCM", "Image Library Group"); }
inline DSRCodedEntryValue imagingMeasurements() { return DSRCodedEntryValue("126010", "DCM", "Imaging Measurements"); }
inline DSRCodedEntryValue measurementGroup() { return DSRCodedEntryValue("125007", "DCM", "Measurement Group"); }
inline DSRCodedEntryValue trackingIdentifier() { return DSRCodedEntryValue("112039", "DCM", "Tracking Identifier"); }
inline DSRCodedEntryValue trackingUID() { return DSRCodedEntryValue("112040", "DCM", "Tracking Unique Identifier"); }
inline DSRCodedEntryValue finding() { return DSRCodedEntryValue("121071", "DCM", "Finding"); }
inline DSRCodedEntryValue imageRegion() { return DSRCodedEntryValue("111030", "DCM", "Image Region"); }
inline DSRCodedEntryValue algorithmName() { return DSRCodedEntryValue("111001", "DCM", "Algorithm Name"); }
inline DSRCodedEntryValue algorithmVersion() { return DSRCodedEntryValue("111003", "DCM", "Algorithm Version"); }
inline DSRCodedEntryValue algorithmParameters() { return DSRCodedEntryValue("111002", "DCM", "Algorithm Parameters"); }
inline DSRCodedEntryValue present() { return DSRCodedEntryValue("52101004", "SCT", "Present"); }
inline DSRCodedEntryValue absent() { return DSRCodedEntryValue("2667000", "SCT", "Absent"); }
inline DSRCodedEntryValue millimetre() { return DSRCodedEntryValue("mm", "UCUM", "millimeter"); }
inline DSRCodedEntryValue noUnits() { return DSRCodedEntryValue("1", "UCUM", "no units"); }

/// Same concept: code value and scheme decide, the meaning is only for people.
inline bool same(const DSRCodedEntryValue &a, const DSRCodedEntryValue &b) {
    return a.getCodeValue() == b.getCodeValue() && a.getCodingSchemeDesignator() == b.getCodingSchemeDesignator();
}

} // namespace codes
} // namespace ldk

#endif
