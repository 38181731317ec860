import Charts
import FileOutput
import Foundation

/// A run directory's difficulty outputs, drawn from its difficulty.csv (and difficulty-spread.csv when the
/// run has one): the figure (SVG and PNG) and, when the hard samples are known, the separation table. The trainer calls it after every AFL epoch and
/// `landmark difficulty` calls it on a finished run.
public enum DifficultyFigures {
    public struct Written {
        /// One row per logged epoch; empty without labels.
        public var separation: [DifficultySeparation]
        /// Why the PNG could not be rendered, if it could not. The CSVs and the SVG, the record that
        /// matters, are written either way.
        public var renderProblem: String?
    }

    /// Writes difficulty.svg, difficulty.png and, with `hardImageIDs`, difficulty-separation.csv, each atomically.
    @discardableResult
    public static func write(run: RunDirectory, hardImageIDs: Set<String>?, count: Int = 3) throws -> Written {
        guard let log = try DifficultyLog.load(runDirectory: run.root) else {
            throw RunArtefactError("\(run.difficulty.path) does not exist: was the run trained with AFL?")
        }
        var separation: [DifficultySeparation] = []
        if let hard = hardImageIDs {
            separation = DifficultySeparation.perEpoch(log, hard: hard)
            try AtomicFile.write(Data(DifficultySeparation.csv(separation).utf8), to: run.difficultySeparation)
        }
        let subtitle = separation.last.flatMap { s in s.auc.map {
            String(format: "Known hard vs easy images (phantom labels), epoch %d: ROC AUC %.3f, mean difficulty %.3f vs %.3f",
                   s.epoch, $0, s.hardMean ?? .nan, s.easyMean ?? .nan)
        } }
        let spread = try DifficultySpread.load(runDirectory: run.root) ?? []
        let svg = DifficultyChart.svg(log, id: "difficulty", count: count, subtitle: subtitle, spread: spread)
        try AtomicFile.write(Data(svg.utf8), to: run.difficultySVG)
        var problem: String?
        do { try SVGRaster.writePNG(svg: svg, to: run.difficultyPNG) } catch { problem = "\(error)" }
        return Written(separation: separation, renderProblem: problem)
    }
}
