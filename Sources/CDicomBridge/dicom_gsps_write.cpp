// Writing a Grayscale Softcopy Presentation State that shows the landmarks on their source image.
//
// DCMTK's DVPresentationState starts from the image (createFromImage copies its patient and study modules and
// references it), then gets one graphic layer "LANDMARKS" holding a POINT and a text label per found landmark,
// and a note in the display's corner naming the landmarks that were not found.
#include "bridge_internal.hpp"
#include "result_writer.hpp"

#include "dcmtk/dcmpstat/dvpsgr.h"
#include "dcmtk/dcmpstat/dvpstat.h"
#include "dcmtk/dcmpstat/dvpstx.h"

namespace {

using ldk::check;
using ldk::ResultWriteError;

constexpr const char *layerName = "LANDMARKS";
constexpr size_t textLimit = 1024; // Unformatted Text Value is ST

void addLandmark(DVPresentationState &ps, size_t layer, const ldk_landmark_finding &l) {
    DVPSGraphicObject *point = ps.addGraphicObject(layer, DVPSB_allImages);
    if (point == nullptr) throw ResultWriteError("cannot add a graphic object");
    check(point->setGraphicType(DVPST_point), "graphic type");
    const Float32 data[2] = {Float32(l.column), Float32(l.row)};
    check(point->setData(1, data, DVPSA_pixels), "point");

    // The label is anchored at the point (anchor not drawn: the POINT already marks it).
    DVPSTextObject *label = ps.addTextObject(layer, DVPSB_allImages);
    if (label == nullptr) throw ResultWriteError("cannot add a text object");
    check(label->setAnchorPoint(l.column, l.row, DVPSA_pixels, OFFalse), "label anchor");
    check(label->setText(l.name), "label text");
}

/// "Not found: a, b" in the top-left corner of the displayed area, so a reader sees what is missing.
void addMissingNote(DVPresentationState &ps, size_t layer, const ldk_findings &f) {
    std::string note;
    for (int32_t i = 0; i < f.landmark_count; ++i) {
        if (f.landmarks[i].present) continue;
        note += note.empty() ? "Not found: " : ", ";
        note += f.landmarks[i].name;
    }
    if (note.empty()) return;
    if (note.size() > textLimit) note = note.substr(0, textLimit - 3) + "...";
    DVPSTextObject *text = ps.addTextObject(layer, DVPSB_allImages);
    if (text == nullptr) throw ResultWriteError("cannot add the note");
    check(text->setBoundingBox(0.01, 0.01, 0.6, 0.08, DVPSA_display, DVPSX_left), "note box");
    check(text->setText(note.c_str()), "note text");
}

} // namespace

extern "C" int ldk_gsps_write(const char *path, const ldk_findings *f, char *out_sop_uid, size_t uid_len, char *err,
                              size_t err_len) {
    return ldk::writeResultObject("GSPS", path, f, out_sop_uid, uid_len, err, err_len, [&](ldk::ResultSource &source) {
        DVPresentationState ps;
        // The image's own window and presentation LUT shape are kept; its overlays and curves are not ours to show.
        check(ps.createFromImage(source.dataset(), DVPSO_ignoreOverlays, DVPSV_preferVOIWindow, OFFalse, OFTrue, OFTrue,
                                 DVPSG_oneLayer),
              "presentation state from the source image");
        // Objects are added for "the current image": DCMTK needs it attached (it stays owned by `source`).
        check(ps.attachImage(&source.dataset(), OFFalse), "attaching the source image");
        check(ps.addGraphicLayer(layerName, "Landmarks found by the detector"), "graphic layer");
        size_t layer = ps.getNumberOfGraphicLayers() - 1; // addGraphicLayer brings the new layer to the front
        check(ps.setGraphicLayerRecommendedDisplayValueGray(layer, 0xFFFF), "layer grey");
        for (int32_t i = 0; i < f->landmark_count; ++i)
            if (f->landmarks[i].present) addLandmark(ps, layer, f->landmarks[i]);
        addMissingNote(ps, layer, *f);
        check(ps.setPresentationLabel(layerName), "content label");
        std::string description = std::string(f->algorithm_name) + " " + f->algorithm_version + ", " + f->scheme_name;
        check(ps.setPresentationDescription(description.substr(0, 64).c_str()), "content description");
        // Content Creator's Name is a person's name (PN): none here; Manufacturer names the software.

        DcmFileFormat out;
        DcmDataset *ds = out.getDataset();
        check(ps.write(*ds, OFTrue), "presentation state");
        check(ds->putAndInsertString(DCM_Manufacturer, f->algorithm_name), "manufacturer");
        check(ds->putAndInsertString(DCM_ManufacturerModelName, f->model_identifier), "model name");
        check(ds->putAndInsertString(DCM_SoftwareVersions, f->algorithm_version), "software version");
        check(ds->putAndInsertString(DCM_SeriesDescription, "Landmarks (presentation state)"), "series description");
        // General Series Laterality is type 2C (paired body parts, e.g. hands): the source's, else empty.
        OFString laterality;
        if (source.dataset().findAndGetOFString(DCM_Laterality, laterality).bad() || laterality.empty())
            source.dataset().findAndGetOFString(DCM_ImageLaterality, laterality);
        if (laterality != "L" && laterality != "R") laterality.clear();
        check(ds->putAndInsertString(DCM_Laterality, laterality.c_str()), "laterality");
        check(out.saveFile(path, EXS_LittleEndianExplicit), "saving");
        const char *uid = ps.getInstanceUID();
        return std::string(uid ? uid : "");
    });
}
