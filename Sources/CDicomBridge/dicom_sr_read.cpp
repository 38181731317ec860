// Reading landmarks back from an SR: ours, or another system's that follows the same TID 1500 pattern.
//
// A landmark is a Measurement Group (125007) holding a Finding (121071) code. Its point is the first SCOORD POINT
// in the group, with the image it was selected from. Whether it was found is our Presence code when the group has
// one, and otherwise whether it has a point. Confidence and tau are read when coded as LandmarkKit codes them.
#include "bridge_internal.hpp"
#include "dicom_results.h"
#include "result_codes.hpp"

#include "dcmtk/dcmsr/dsrdoc.h"

#include <cstdlib>
#include <vector>

namespace {

using namespace ldk;

/// The document tree flattened in pre-order, each node with its parent's index.
struct FlatNode {
    size_t id;
    size_t parent; // index into the list; SIZE_MAX for the root
    DSRTypes::E_ValueType type;
    DSRCodedEntryValue concept;
};

std::vector<FlatNode> flatten(DSRDocumentTree &tree) {
    std::vector<FlatNode> nodes;
    std::vector<size_t> path; // index of the last node seen at each level
    if (tree.gotoRoot() == 0) return nodes;
    do {
        size_t level = tree.getLevel(); // 1 for the root
        path.resize(level);
        DSRContentItem &item = tree.getCurrentContentItem();
        nodes.push_back({tree.getNodeID(), level > 1 ? path[level - 2] : SIZE_MAX, item.getValueType(), item.getConceptName()});
        path[level - 1] = nodes.size() - 1;
    } while (tree.iterate() != 0);
    return nodes;
}

bool inside(const std::vector<FlatNode> &nodes, size_t index, size_t ancestor) {
    for (size_t p = nodes[index].parent; p != SIZE_MAX; p = nodes[p].parent)
        if (p == ancestor) return true;
    return false;
}

double numberOf(DSRContentItem &item) {
    return std::atof(item.getNumericValue().getNumericValue().c_str());
}

void readImageReference(DSRContentItem &item, char *classUID, char *instanceUID) {
    const DSRImageReferenceValue &ref = item.getImageReference();
    ldk::copyString(ref.getSOPClassUID().c_str(), classUID, 80);
    ldk::copyString(ref.getSOPInstanceUID().c_str(), instanceUID, 80);
}

/// Reads one measurement group (index `g`) into `out`; false when it has no Finding code.
bool readGroup(DSRDocumentTree &tree, const std::vector<FlatNode> &nodes, size_t g, ldk_sr_landmark &out, ldk_sr_info &info) {
    out = ldk_sr_landmark();
    bool hasFinding = false, hasPresence = false;
    for (size_t i = g + 1; i < nodes.size() && inside(nodes, i, g); ++i) {
        const FlatNode &n = nodes[i];
        tree.gotoNode(n.id);
        DSRContentItem &item = tree.getCurrentContentItem();
        if (n.type == DSRTypes::VT_Code && codes::same(n.concept, codes::finding()) && !hasFinding) {
            const DSRCodedEntryValue &code = item.getCodeValue();
            ldk::copyString(code.getCodeValue().c_str(), out.code_value, sizeof out.code_value);
            ldk::copyString(code.getCodingSchemeDesignator().c_str(), out.coding_scheme_designator, sizeof out.coding_scheme_designator);
            ldk::copyString(code.getCodeMeaning().c_str(), out.code_meaning, sizeof out.code_meaning);
            hasFinding = true;
        } else if (n.type == DSRTypes::VT_Code && codes::same(n.concept, codes::presence())) {
            hasPresence = true;
            out.present = codes::same(item.getCodeValue(), codes::present()) ? 1 : 0;
        } else if (n.type == DSRTypes::VT_SCoord && !out.has_point) {
            DSRSpatialCoordinatesValue sc = item.getSpatialCoordinates();
            if (sc.getGraphicType() != DSRTypes::GT_Point || sc.getGraphicDataList().isEmpty()) continue;
            const DSRGraphicDataItem &p = sc.getGraphicDataList().getItem(1); // DCMTK lists count from 1
            out.has_point = 1;
            out.column = p.Column;
            out.row = p.Row;
            // The image it was selected from is the SCOORD's child.
            if (i + 1 < nodes.size() && nodes[i + 1].parent == i && nodes[i + 1].type == DSRTypes::VT_Image) {
                tree.gotoNode(nodes[i + 1].id);
                char unusedClass[80];
                readImageReference(tree.getCurrentContentItem(), unusedClass, out.referenced_sop_instance_uid);
            }
        } else if (n.type == DSRTypes::VT_Num && codes::same(n.concept, codes::confidence())) {
            out.has_confidence = 1;
            out.confidence = numberOf(item);
        } else if (n.type == DSRTypes::VT_Num && codes::same(n.concept, codes::presenceThreshold()) && !info.has_presence_threshold) {
            info.has_presence_threshold = 1;
            info.presence_threshold = numberOf(item);
        } else if (n.type == DSRTypes::VT_Text && codes::same(n.concept, codes::algorithmName()) && !info.algorithm_name[0]) {
            ldk::copyString(item.getStringValue().c_str(), info.algorithm_name, sizeof info.algorithm_name);
        } else if (n.type == DSRTypes::VT_Text && codes::same(n.concept, codes::algorithmVersion()) && !info.algorithm_version[0]) {
            ldk::copyString(item.getStringValue().c_str(), info.algorithm_version, sizeof info.algorithm_version);
        }
    }
    if (!hasPresence) out.present = out.has_point;
    return hasFinding;
}

} // namespace

extern "C" int ldk_sr_read(const char *path, ldk_sr_info *info, ldk_sr_landmark *landmarks, size_t capacity, char *err,
                           size_t err_len) {
    if (path == nullptr || info == nullptr || (capacity > 0 && landmarks == nullptr))
        return ldk::fail(LDK_ERR_INVALID_ARGUMENT, "null argument", err, err_len);
    *info = ldk_sr_info();
    try {
        ldk::ensureCodecsRegistered();
        DcmFileFormat file;
        OFCondition c = file.loadFile(path);
        if (c.bad()) return ldk::fail(LDK_ERR_NOT_DICOM, std::string("not a readable DICOM file: ") + c.text(), err, err_len);
        DSRDocument doc;
        c = doc.read(*file.getDataset());
        if (c.bad()) return ldk::fail(LDK_ERR_UNSUPPORTED, std::string("not a DICOM SR document: ") + c.text(), err, err_len);
        OFString value;
        doc.getSOPClassUID(value);
        ldk::copyString(value.c_str(), info->sop_class_uid, sizeof info->sop_class_uid);
        doc.getSOPInstanceUID(value);
        ldk::copyString(value.c_str(), info->sop_instance_uid, sizeof info->sop_instance_uid);

        DSRDocumentTree &tree = doc.getTree();
        std::vector<FlatNode> nodes = flatten(tree);
        std::vector<ldk_sr_landmark> found;
        for (size_t i = 0; i < nodes.size(); ++i) {
            const FlatNode &n = nodes[i];
            tree.gotoNode(n.id);
            DSRContentItem &item = tree.getCurrentContentItem();
            if (n.type == DSRTypes::VT_Image && !info->referenced_sop_instance_uid[0]) {
                readImageReference(item, info->referenced_sop_class_uid, info->referenced_sop_instance_uid);
            } else if (n.type == DSRTypes::VT_Text && codes::same(n.concept, codes::deviceModelName())) {
                ldk::copyString(item.getStringValue().c_str(), info->model_identifier, sizeof info->model_identifier);
            } else if (n.type == DSRTypes::VT_Container && codes::same(n.concept, codes::measurementGroup())) {
                ldk_sr_landmark landmark;
                if (readGroup(tree, nodes, i, landmark, *info)) found.push_back(landmark);
            }
        }
        info->landmark_count = int32_t(found.size());
        if (!found.empty()) {
            ldk::copyString(found[0].coding_scheme_designator, info->coding_scheme_designator, sizeof info->coding_scheme_designator);
            DSRCodingSchemeIdentificationList &schemes = doc.getCodingSchemeIdentification();
            if (schemes.gotoItem(found[0].coding_scheme_designator).good()) {
                schemes.getCodingSchemeName(value);
                ldk::copyString(value.c_str(), info->coding_scheme_name, sizeof info->coding_scheme_name);
            }
        }
        if (found.size() > capacity)
            return ldk::fail(LDK_ERR_BUFFER_TOO_SMALL, std::to_string(found.size()) + " landmarks", err, err_len);
        for (size_t i = 0; i < found.size(); ++i) landmarks[i] = found[i];
        return LDK_OK;
    } catch (const std::exception &e) {
        return ldk::fail(LDK_ERR_DECODE, std::string("exception while reading the SR: ") + e.what(), err, err_len);
    } catch (...) {
        return ldk::fail(LDK_ERR_DECODE, "unknown exception while reading the SR", err, err_len);
    }
}
