import Foundation

/// A prediction with the only name outputs use: the file's path relative to the input root.
public struct NamedPrediction: Sendable, Equatable, Codable {
    public var image: String
    public var prediction: ImagePrediction
}

/// Coordinates in files are rounded to 1e-4 px (far below any detector's error), identically in every output,
/// so the CSV and the COCO file agree to the last digit.
enum OutputNumber {
    static func round4(_ v: Double) -> Double { (v * 10_000).rounded() / 10_000 }
    static func text(_ v: Double) -> String { String(round4(v)) }
}
