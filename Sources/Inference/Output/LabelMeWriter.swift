import Foundation
import Landmarks

/// `labelme/<image path without extension>.json`: the predictions as a LabelMe file, so a reader can correct them
/// in LabelMe and train on the corrected folder unchanged (dataset.yaml `annotations: {format: labelme, path: …}`).
///
/// - One `point` shape per present landmark, labelled with the schema's name; absent landmarks are omitted, which
///   the LabelMe importer reads back as absent. The shape's `description` carries the confidence for the reader.
/// - Points are in the original image's pixels with integer coordinates at pixel centres, exactly as in
///   `landmarks.csv` (rounded to 1e-4 px), so they import back with the default `coordinate_offset: 0`.
///   LabelMe itself puts 0 at the first pixel's corner, so it draws each point half a pixel up-left of the centre
///   named; a dataset loaded with `coordinate_offset: -0.5` would move uncorrected points by that half pixel.
/// - LabelMe cannot open DICOM (or 16-bit TIFF), so `imagePath` names `<stem>.png` beside the JSON: the contrast
///   protocol's output at the original resolution, so the points sit on the right pixels. The original file is named
///   in `sourceImage` (relative to the inputs' common folder, never by patient identity); LabelMe keeps such extra
///   keys when it saves. The importer needs neither: an `imagePath` outside `images/` falls back to the JSON's own
///   path, which mirrors the input's.
public enum LabelMeWriter {
    /// The folder under the output directory.
    public static let folder = "labelme"
    /// The LabelMe format version written; LabelMe only warns when it differs from its own.
    public static let version = "5.4.1"

    /// The image's path without its extension, with `.`/`..` components dropped so nothing escapes the folder.
    public static func stem(of image: String) -> String {
        var stem = image
        if let dot = stem.lastIndex(of: "."), !stem[dot...].contains("/"), dot != stem.startIndex, stem[stem.index(before: dot)] != "/" {
            stem = String(stem[..<dot])
        }
        return stem.split(separator: "/").filter { $0 != ".." && $0 != "." }.joined(separator: "/")
    }

    /// The JSON for one prediction; `imageFile` is the PNG's name relative to the JSON.
    public static func render(_ p: NamedPrediction, schema: LandmarkSchema, imageFile: String) throws -> Data {
        var shapes: [[String: Any]] = []
        for (k, l) in p.prediction.landmarks.enumerated() where l.present {
            // The schema's own name, never an alias: outputs are canonical.
            let name = k < schema.count ? schema.landmarks[k].name : l.name
            shapes.append(["label": name, "points": [[OutputNumber.round4(l.x), OutputNumber.round4(l.y)]],
                           "shape_type": "point", "group_id": NSNull(), "flags": [String: Any](),
                           "description": "confidence \(OutputNumber.round4(l.confidence))"])
        }
        let root: [String: Any] = ["version": version, "flags": [String: Any](), "shapes": shapes, "imagePath": imageFile,
                                   "imageData": NSNull(), "imageHeight": p.prediction.height, "imageWidth": p.prediction.width,
                                   "sourceImage": p.image, "landmarkSchema": schema.name]
        return try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}
