import FileOutput
import Foundation

/// `landmarks.csv`: `image,landmark,x,y,x_mm,y_mm,confidence,present,difficulty`, one row per image and
/// landmark. mm cells are empty when the image has no spacing; present is 1/0 (readable by the long-CSV
/// importer); difficulty is the image's AFL review score, repeated on its rows, empty without a critic.
public enum LandmarksCSVWriter {
    public static let header = "image,landmark,x,y,x_mm,y_mm,confidence,present,difficulty"

    public static func render(_ predictions: [NamedPrediction]) -> String {
        var out = header + "\n"
        for p in predictions {
            for l in p.prediction.landmarks {
                let fields = [p.image, l.name, OutputNumber.text(l.x), OutputNumber.text(l.y),
                              l.xMM.map(OutputNumber.text) ?? "", l.yMM.map(OutputNumber.text) ?? "",
                              String(OutputNumber.round4(l.confidence)), l.present ? "1" : "0",
                              p.prediction.difficulty.map(OutputNumber.text) ?? ""]
                out += CSV.row(fields) + "\n"
            }
        }
        return out
    }
}
