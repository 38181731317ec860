// Writing a landmark measurement report: a Comprehensive SR following TID 1500.
//
//   Imaging Measurement Report (TID 1500)
//     language, observer context (device = the model), procedure reported
//     Image Library → Image Library Group → the source IMAGE
//     Imaging Measurements
//       per landmark found:     Measurement Group (TID 1410): tracking id/UID, Finding = the coded landmark,
//                               algorithm (TID 4019), Image Region = SCOORD POINT selected from the source image,
//                               presence Present, confidence, tau, x/y in mm and the spacing source
//       per landmark not found: Measurement Group (TID 1501): the same without an image region or mm, presence Absent
#include "bridge_internal.hpp"
#include "result_codes.hpp"
#include "result_writer.hpp"

#include "dcmtk/dcmsr/dsrdoc.h"

namespace {

using namespace ldk;

/// Appends children to a node by ID, so the tree reads top-down like the template.
class TreeBuilder {
  public:
    explicit TreeBuilder(DSRDocumentTree &tree) : tree_(tree) {}

    size_t root(const DSRCodedEntryValue &concept) {
        if (tree_.addContentItem(DSRTypes::RT_isRoot, DSRTypes::VT_Container) == 0) throw ResultWriteError("cannot add the root");
        check(tree_.getCurrentContentItem().setConceptName(concept), "root concept");
        return tree_.getNodeID();
    }

    size_t add(size_t parent, DSRTypes::E_RelationshipType rel, DSRTypes::E_ValueType type,
               const DSRCodedEntryValue &concept) {
        if (tree_.gotoNode(parent) == 0) throw ResultWriteError("lost the parent node");
        check(tree_.addChildContentItem(rel, type, concept), concept.getCodeMeaning().c_str());
        return tree_.getNodeID();
    }

    DSRContentItem &item(size_t node) {
        if (tree_.gotoNode(node) == 0) throw ResultWriteError("lost a node");
        return tree_.getCurrentContentItem();
    }

    void text(size_t parent, DSRTypes::E_RelationshipType rel, const DSRCodedEntryValue &concept, const std::string &value) {
        check(item(add(parent, rel, DSRTypes::VT_Text, concept)).setStringValue(value.c_str()), concept.getCodeMeaning().c_str());
    }

    void uid(size_t parent, DSRTypes::E_RelationshipType rel, const DSRCodedEntryValue &concept, const std::string &value) {
        check(item(add(parent, rel, DSRTypes::VT_UIDRef, concept)).setStringValue(value.c_str()), concept.getCodeMeaning().c_str());
    }

    void code(size_t parent, DSRTypes::E_RelationshipType rel, const DSRCodedEntryValue &concept,
              const DSRCodedEntryValue &value) {
        check(item(add(parent, rel, DSRTypes::VT_Code, concept)).setCodeValue(value), concept.getCodeMeaning().c_str());
    }

    void number(size_t parent, const DSRCodedEntryValue &concept, double value, const DSRCodedEntryValue &unit) {
        DSRNumericMeasurementValue measurement(decimalString(value, 12).c_str(), unit);
        check(item(add(parent, DSRTypes::RT_contains, DSRTypes::VT_Num, concept)).setNumericValue(measurement),
              concept.getCodeMeaning().c_str());
    }

    /// An IMAGE content item referencing the source (with its frame when multi-frame).
    void image(size_t parent, DSRTypes::E_RelationshipType rel, const ResultSource &source) {
        DSRImageReferenceValue reference(source.sopClassUID.c_str(), source.sopInstanceUID.c_str());
        if (source.frames > 1) reference.getFrameList().addItem(1);
        check(item(add(parent, rel, DSRTypes::VT_Image, DSRCodedEntryValue())).setImageReference(reference), "image reference");
    }

    void point(size_t parent, const ldk_landmark_finding &l, const ResultSource &source) {
        DSRSpatialCoordinatesValue coordinates(DSRTypes::GT_Point);
        coordinates.getGraphicDataList().addItem(Float32(l.column), Float32(l.row));
        size_t node = add(parent, DSRTypes::RT_contains, DSRTypes::VT_SCoord, codes::imageRegion());
        check(item(node).setSpatialCoordinates(coordinates), "image region");
        image(node, DSRTypes::RT_selectedFrom, source);
    }

  private:
    DSRDocumentTree &tree_;
};

std::string newUID(const char *root) {
    char uid[100];
    return dcmGenerateUniqueIdentifier(uid, root);
}

void buildTree(DSRDocument &doc, const ldk_findings &f, const ResultSource &source) {
    TreeBuilder b(doc.getTree());
    using R = DSRTypes;
    size_t root = b.root(codes::measurementReport());
    check(b.item(root).setTemplateIdentification("1500", "DCMR"), "template");
    b.code(root, R::RT_hasConceptMod, codes::language(), codes::english());
    // TID 1002/1004: the observer is a device, the model; its UID is stable per model.
    b.code(root, R::RT_hasObsContext, codes::observerType(), codes::device());
    if (f.device_uid && *f.device_uid) b.uid(root, R::RT_hasObsContext, codes::deviceUID(), f.device_uid);
    b.text(root, R::RT_hasObsContext, codes::deviceName(), f.algorithm_name);
    b.text(root, R::RT_hasObsContext, codes::deviceManufacturer(), f.algorithm_name);
    b.text(root, R::RT_hasObsContext, codes::deviceModelName(), f.model_identifier);
    b.code(root, R::RT_hasConceptMod, codes::procedureReported(), codes::radiography());

    size_t library = b.add(root, R::RT_contains, R::VT_Container, codes::imageLibrary());
    size_t group = b.add(library, R::RT_contains, R::VT_Container, codes::imageLibraryGroup());
    b.image(group, R::RT_contains, source);

    size_t measurements = b.add(root, R::RT_contains, R::VT_Container, codes::imagingMeasurements());
    for (int32_t i = 0; i < f.landmark_count; ++i) {
        const ldk_landmark_finding &l = f.landmarks[i];
        size_t m = b.add(measurements, R::RT_contains, R::VT_Container, codes::measurementGroup());
        // A found landmark has an image region (TID 1410 requires one); a missing one cannot, so it uses TID 1501.
        check(b.item(m).setTemplateIdentification(l.present ? "1410" : "1501", "DCMR"), "group template");
        b.text(m, R::RT_hasObsContext, codes::trackingIdentifier(), l.name);
        b.uid(m, R::RT_hasObsContext, codes::trackingUID(), newUID(SITE_INSTANCE_UID_ROOT));
        b.code(m, R::RT_contains, codes::finding(), DSRCodedEntryValue(l.name, f.scheme_designator, l.name));
        b.text(m, R::RT_hasConceptMod, codes::algorithmName(), f.algorithm_name);
        b.text(m, R::RT_hasConceptMod, codes::algorithmVersion(), f.algorithm_version);
        b.text(m, R::RT_hasConceptMod, codes::algorithmParameters(),
               std::string("model=") + f.model_identifier + "; schema=" + f.scheme_name);
        if (l.present) b.point(m, l, source);
        b.code(m, R::RT_contains, codes::presence(), l.present ? codes::present() : codes::absent());
        b.number(m, codes::confidence(), l.confidence, codes::noUnits());
        b.number(m, codes::presenceThreshold(), f.presence_threshold, codes::noUnits());
        if (l.present && l.has_mm) {
            b.number(m, codes::columnMM(), l.x_mm, codes::millimetre());
            b.number(m, codes::rowMM(), l.y_mm, codes::millimetre());
        }
        b.text(m, R::RT_contains, codes::spacingSource(), f.spacing_source);
    }
}

/// Patient, study and equipment: the SR belongs to the source's patient and study, in a new series.
void fillHeader(DSRDocument &doc, const ldk_findings &f, ResultSource &source) {
    DcmDataset &ds = source.dataset();
    OFString charset;
    if (ds.findAndGetOFStringArray(DCM_SpecificCharacterSet, charset).good() && !charset.empty())
        check(doc.setSpecificCharacterSet(charset, OFFalse), "specific character set");
    check(doc.readStudyData(ds), "patient and study of the source");
    doc.createNewSeries();
    check(doc.setManufacturer(f.algorithm_name), "manufacturer");
    check(doc.setManufacturerModelName(f.model_identifier, OFFalse), "model name");
    check(doc.setSoftwareVersions(f.algorithm_version, OFFalse), "software version");
    check(doc.setSeriesDescription("Landmarks (measurement report)"), "series description");
    check(doc.setSeriesNumber("9901", OFFalse), "series number");
    check(doc.setInstanceNumber("1", OFFalse), "instance number");
    // The image the report is about is its evidence (PS3.3 SR Document General Module).
    check(doc.getCurrentRequestedProcedureEvidence().addItem(source.studyInstanceUID.c_str(), source.seriesInstanceUID.c_str(),
                                                             source.sopClassUID.c_str(), source.sopInstanceUID.c_str()),
          "evidence");
    DSRCodingSchemeIdentificationList &schemes = doc.getCodingSchemeIdentification();
    check(schemes.addItem(f.scheme_designator, f.scheme_uid ? f.scheme_uid : "", f.scheme_name, f.algorithm_name, OFFalse),
          "landmark coding scheme");
    check(schemes.addItem(codes::toolkitDesignator, "", codes::toolkitSchemeName, f.algorithm_name, OFFalse), "toolkit scheme");
}

} // namespace

extern "C" int ldk_sr_write(const char *path, const ldk_findings *f, char *out_sop_uid, size_t uid_len, char *err,
                            size_t err_len) {
    return ldk::writeResultObject("SR", path, f, out_sop_uid, uid_len, err, err_len, [&](ldk::ResultSource &source) {
        DSRDocument doc(DSRTypes::DT_ComprehensiveSR);
        fillHeader(doc, *f, source);
        buildTree(doc, *f, source);
        // Complete: it records every landmark of the schema. Unverified: no person has signed it.
        check(doc.completeDocument(), "completion flag");
        DcmFileFormat out;
        check(doc.write(*out.getDataset()), "SR document");
        check(out.saveFile(path, EXS_LittleEndianExplicit), "saving");
        OFString uid;
        doc.getSOPInstanceUID(uid);
        return std::string(uid.c_str());
    });
}
