import ContrastProtocols
import Foundation
import Landmarks
import XRayIngest

/// `--labelme`: a LabelMe JSON and PNG per image (format in `LabelMeWriter`).
extension InferenceJob {
    /// Writes `labelme/<stem>.png`, the contrast protocol's output at the original resolution (so LabelMe shows the
    /// points on the pixels they name); returns why it could not, or nil.
    static func writeLabelMeImage(_ image: XRayImage, name: String, preparer: InputPreparer, folder: URL) -> String? {
        let url = folder.appendingPathComponent(LabelMeWriter.stem(of: name) + ".png")
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try preparer.contrastProtocol.apply(to: image).writePNG(to: url)
            return nil
        } catch {
            return "LabelMe image not written: \(error)"
        }
    }

    /// Writes one JSON per prediction in name order and returns the images left without one. Images whose paths
    /// differ only in their extension (a.dcm, a.tif) would share `labelme/a.json`, and LabelMe and the importer
    /// both name an image by its path without extension: those get no LabelMe file rather than one that silently
    /// wins, and their shared PNG is removed.
    func writeLabelMeFiles(_ predictions: [NamedPrediction], schema: LandmarkSchema) -> [InferenceFailure] {
        let folder = options.output.appendingPathComponent(Self.labelMeFolder)
        let byStem = Dictionary(grouping: predictions.map(\.image), by: LabelMeWriter.stem(of:))
        var failures: [InferenceFailure] = []
        for p in predictions {
            let stem = LabelMeWriter.stem(of: p.image)
            if let sharing = byStem[stem], sharing.count > 1 {
                try? FileManager.default.removeItem(at: folder.appendingPathComponent(stem + ".png"))
                failures.append(InferenceFailure(image: p.image, reason: "no LabelMe file: \(sharing.filter { $0 != p.image }.joined(separator: ", ")) "
                    + "would share \(Self.labelMeFolder)/\(stem).json (an image is named by its path without extension)"))
                continue
            }
            do {
                let file = "\(Self.labelMeFolder)/\(stem).json"
                try FileManager.default.createDirectory(at: options.output.appendingPathComponent(file).deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
                let png = (stem as NSString).lastPathComponent + ".png"
                try write(LabelMeWriter.render(p, schema: schema, imageFile: png), file)
            } catch {
                failures.append(InferenceFailure(image: p.image, reason: "LabelMe JSON not written: \(error)"))
            }
        }
        return failures
    }
}
