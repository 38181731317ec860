import Foundation
import Landmarks

/// `predictions.coco.json`: a COCO keypoints document (images, annotations, one category per schema) with
/// `keypoints` [x, y, v] in original pixels, v = 2 present and [0, 0, 0] absent (the convention the COCO importer
/// reads back), `score` = the mean peak of the present landmarks, and every peak in `keypoint_scores`.
public enum COCOPredictionWriter {
    public static func render(_ predictions: [NamedPrediction], schema: LandmarkSchema) throws -> Data {
        var images: [[String: Any]] = [], annotations: [[String: Any]] = []
        for (i, p) in predictions.enumerated() {
            images.append(["id": i + 1, "file_name": p.image, "width": p.prediction.width, "height": p.prediction.height])
            var keypoints: [Double] = [], scores: [Double] = [], xs: [Double] = [], ys: [Double] = []
            for l in p.prediction.landmarks {
                scores.append(OutputNumber.round4(l.confidence))
                if l.present {
                    let x = OutputNumber.round4(l.x), y = OutputNumber.round4(l.y)
                    keypoints += [x, y, 2]; xs.append(x); ys.append(y)
                } else {
                    keypoints += [0, 0, 0]
                }
            }
            let presentScores = zip(p.prediction.landmarks, scores).filter { $0.0.present }.map(\.1)
            let score = presentScores.isEmpty ? 0 : presentScores.reduce(0, +) / Double(presentScores.count)
            var bbox: [Double] = [0, 0, 0, 0]
            if let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() { bbox = [x0, y0, x1 - x0, y1 - y0] }
            annotations.append(["id": i + 1, "image_id": i + 1, "category_id": 1, "keypoints": keypoints,
                                "num_keypoints": xs.count, "score": OutputNumber.round4(score), "keypoint_scores": scores,
                                "bbox": bbox, "area": bbox[2] * bbox[3], "iscrowd": 0])
        }
        let category: [String: Any] = ["id": 1, "name": schema.name, "supercategory": "landmarks", "keypoints": schema.names,
                                       "skeleton": schema.edges.map { [$0.0 + 1, $0.1 + 1] }]
        return try JSONSerialization.data(withJSONObject: ["images": images, "annotations": annotations, "categories": [category]],
                                          options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}
