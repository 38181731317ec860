import ArgumentParser
import Foundation
import Landmarks
import RunArtefacts
import Training

/// `landmark difficulty`: AFL's per-sample difficulty of a run, as the paper's figure 3 and, on a phantom
/// set, as the separation of the known hard images from the rest.
struct Difficulty: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Redraw an AFL run's difficulty figure (difficulty.svg/.png) and score it against known hard images.")

    @Argument(help: "Run directory of a training run with --afl (holds difficulty.csv).")
    var runDirectory: String

    @Option(help: "Dataset folder whose phantom.json marks the hard images (default: the run's own dataset, if a phantom set).")
    var labels: String?

    @Option(help: "Easiest and hardest samples drawn.")
    var count = 3

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
    }

    func run() throws {
        let dir = RunDirectory(URL(fileURLWithPath: runDirectory, isDirectory: true))
        var datasetRoot = labels.map { URL(fileURLWithPath: $0, isDirectory: true) }
        if datasetRoot == nil, let dataset = (try? TrainConfigFile.load(from: dir.config))?.dataset {
            datasetRoot = URL(fileURLWithPath: dataset, isDirectory: true)
        }
        let sidecar = try datasetRoot.flatMap { try PhantomSidecar.load(datasetRoot: $0) }
        if labels != nil, sidecar == nil {
            throw ValidationError("\(labels!): no \(PhantomSidecar.fileName) there, so no hard-image labels")
        }
        let written = try DifficultyFigures.write(run: dir, hardImageIDs: sidecar?.hardImageIDs, count: count)
        Console.print("difficulty: \(dir.difficultySVG.path)")
        if let problem = written.renderProblem { Console.print("  PNG not written: \(problem)") } else { Console.print("            \(dir.difficultyPNG.path)") }
        guard !written.separation.isEmpty else { return }
        Console.print("hard vs easy images (\(PhantomSidecar.fileName)), per epoch → \(dir.difficultySeparation.path)")
        Console.print("  epoch   AUC    hard mean  easy mean  (hard/easy images)")
        func cell(_ v: Double?, _ width: Int) -> String {
            let text = v.map { String(format: "%.4f", $0) } ?? "n/a"
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
        for s in written.separation {
            Console.print("  \(String(format: "%5d", s.epoch))  \(cell(s.auc, 6))  \(cell(s.hardMean, 9))  \(cell(s.easyMean, 9))  (\(s.hardCount)/\(s.easyCount))")
        }
        // Which kinds of hard case the critic notices: each against the images with none.
        guard let sidecar, let log = try DifficultyLog.load(runDirectory: dir.root),
              let perCase = HardCaseSeparation.atLastEpoch(log, sidecar: sidecar) else { return }
        Console.print("each hard case against the plain images, epoch \(perCase.epoch):")
        for row in perCase.rows {
            let s = row.separation
            Console.print("  \(row.kind.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)) AUC \(cell(s.auc, 6))  mean \(cell(s.hardMean, 6)) vs \(cell(s.easyMean, 6))  (\(s.hardCount)/\(s.easyCount))")
        }
    }
}
