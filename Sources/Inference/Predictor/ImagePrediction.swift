import Foundation
import Landmarks
import XRayIngest

/// One landmark as inference reports it, in the ORIGINAL image's pixels (x column, y row) and, when the
/// image has spacing, in mm (x·columnMM, y·rowMM). mm values are nil without spacing: never invented.
public struct PredictedLandmark: Sendable, Equatable, Codable {
    public var name: String
    public var x: Double
    public var y: Double
    public var xMM: Double?
    public var yMM: Double?
    /// The heatmap peak.
    public var confidence: Double
    /// Peak ≥ τ.
    public var present: Bool

    /// The same landmark in the metrics' form.
    public var asPrediction: LandmarkPrediction { LandmarkPrediction(x: x, y: y, confidence: confidence, present: present) }
}

/// All K landmarks of one image, plus how the image was fitted to the network.
public struct ImagePrediction: Sendable, Equatable, Codable {
    public var landmarks: [PredictedLandmark]
    public var width: Int
    public var height: Int
    public var spacing: PixelSpacing?
    /// Original pixels → network input pixels, as used for this image.
    public var letterbox: Letterbox
    /// The AFL critic's review score σ(−k·d(t')) in (0, 1), higher = look first; nil when the model has no critic.
    public var difficulty: Double? = nil
}

extension PredictedLandmark {
    /// A prediction made elsewhere (another system's SR, say) in this form, for drawing; its mm stay empty.
    public init(name: String, _ p: LandmarkPrediction) {
        self.init(name: name, x: p.x, y: p.y, xMM: nil, yMM: nil, confidence: p.confidence, present: p.present)
    }
}
