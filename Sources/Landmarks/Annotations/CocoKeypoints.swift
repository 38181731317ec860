import Foundation

/// COCO keypoints JSON: `images`, `annotations` with `keypoints: [x,y,v,…]` (v = 0 absent), `categories` naming the keypoints.
/// Image ids come from `file_name` without its extension, relative to images/.
public enum CocoKeypoints {
    public static func read(_ url: URL, displayName: String? = nil, coordinateOffset: Double = 0) throws -> AnnotationSet {
        try parse(Data(contentsOf: url), file: displayName ?? url.lastPathComponent, coordinateOffset: coordinateOffset)
    }

    public static func parse(_ data: Data, file: String, coordinateOffset: Double = 0) -> AnnotationSet {
        var set = AnnotationSet()
        func bad(_ element: String?, _ m: String) {
            set.issues.append(AnnotationIssue(kind: .malformedRecord, location: SourceLocation(file: file, element: element), message: m))
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { bad(nil, "not a JSON object"); return set }
        guard let images = root["images"] as? [[String: Any]], let anns = root["annotations"] as? [[String: Any]] else {
            bad(nil, "needs 'images' and 'annotations' arrays"); return set
        }
        var idToName: [Int: String] = [:]
        for (i, im) in images.enumerated() {
            guard let id = (im["id"] as? NSNumber)?.intValue, let name = im["file_name"] as? String else {
                bad("images[\(i)]", "image needs 'id' and 'file_name'"); continue
            }
            idToName[id] = stripExtension(name)
        }
        var categoryNames: [Int: [String]] = [:]
        for c in root["categories"] as? [[String: Any]] ?? [] {
            if let id = (c["id"] as? NSNumber)?.intValue, let kp = c["keypoints"] as? [String] { categoryNames[id] = kp }
        }
        for (i, a) in anns.enumerated() {
            let el = "annotations[\(i)]"
            guard let imageID = (a["image_id"] as? NSNumber)?.intValue else { bad(el, "missing 'image_id'"); continue }
            guard let kp = (a["keypoints"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.doubleValue }), kp.count % 3 == 0,
                  kp.count == (a["keypoints"] as? [Any])?.count else {
                bad(el, "'keypoints' must be numbers in triples x,y,v"); continue
            }
            guard let image = idToName[imageID] else {
                set.issues.append(AnnotationIssue(kind: .annotationWithoutImage, location: SourceLocation(file: file, element: el),
                                                  message: "image_id \(imageID) is not in 'images'"))
                continue
            }
            let names = (a["category_id"] as? NSNumber).flatMap { categoryNames[$0.intValue] }
            for k in 0..<(kp.count / 3) {
                let ref: LandmarkReference = names.flatMap { k < $0.count ? LandmarkReference(parsing: $0[k]) : nil } ?? .index(k + 1)
                let v = kp[3 * k + 2]
                let p: LandmarkPoint? = v > 0 ? LandmarkPoint(x: kp[3 * k] + coordinateOffset, y: kp[3 * k + 1] + coordinateOffset) : nil
                set.records.append(AnnotationRecord(image: image, landmark: ref, point: p,
                                                    location: SourceLocation(file: file, element: "\(el) keypoint \(k + 1)")))
            }
        }
        return set
    }

    static func stripExtension(_ name: String) -> String {
        let u = name as NSString
        return u.pathExtension.isEmpty ? name : u.deletingPathExtension
    }

    /// COCO keypoints for a loaded dataset: one category (the schema, with its skeleton), v = 2 present, 0 absent.
    public static func export(_ dataset: LandmarkDataset) throws -> Data {
        var images: [[String: Any]] = [], anns: [[String: Any]] = []
        for (i, im) in dataset.images.enumerated() {
            images.append(["id": i + 1, "file_name": im.relativePath, "width": im.width, "height": im.height])
            var kp: [Double] = [], xs: [Double] = [], ys: [Double] = []
            for p in im.landmarks {
                if let p { kp += [p.x, p.y, 2]; xs.append(p.x); ys.append(p.y) } else { kp += [0, 0, 0] }
            }
            var bbox: [Double] = [0, 0, 0, 0]
            if let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() { bbox = [x0, y0, x1 - x0, y1 - y0] }
            anns.append(["id": i + 1, "image_id": i + 1, "category_id": 1, "keypoints": kp, "num_keypoints": xs.count,
                         "bbox": bbox, "area": bbox[2] * bbox[3], "iscrowd": 0])
        }
        let cat: [String: Any] = ["id": 1, "name": dataset.schema.name, "supercategory": "landmarks",
                                  "keypoints": dataset.schema.names, "skeleton": dataset.schema.edges.map { [$0.0 + 1, $0.1 + 1] }]
        let root: [String: Any] = ["images": images, "annotations": anns, "categories": [cat]]
        return try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
    }
}
