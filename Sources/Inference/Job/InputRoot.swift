import Foundation

/// Where inputs and models are found on disk.
public enum InputLocation {
    /// The deepest folder containing every input (a folder input counts as itself). Images are named relative
    /// to it, so names carry the folder structure the user gave and nothing else.
    public static func commonRoot(of inputs: [URL]) -> URL {
        let folders: [[String]] = inputs.map { url in
            let resolved = url.standardizedFileURL.resolvingSymlinksInPath()
            var isDirectory: ObjCBool = false
            let isFolder = FileManager.default.fileExists(atPath: resolved.path, isDirectory: &isDirectory) && isDirectory.boolValue
            return (isFolder ? resolved : resolved.deletingLastPathComponent()).pathComponents
        }
        guard var common = folders.first else { return URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }
        for f in folders.dropFirst() {
            common = Array(zip(common, f).prefix { $0 == $1 }.map(\.0))
        }
        return URL(fileURLWithPath: common.isEmpty ? "/" : NSString.path(withComponents: common), isDirectory: true)
    }

    /// A model directory, or a run directory holding one in `model/`.
    public static func modelDirectory(_ url: URL) throws -> URL {
        let fm = FileManager.default
        if fm.fileExists(atPath: url.appendingPathComponent("model.json").path) { return url }
        let inner = url.appendingPathComponent("model")
        if fm.fileExists(atPath: inner.appendingPathComponent("model.json").path) { return inner }
        throw PredictorError(.inconsistentModel, "\(url.path): neither a model directory (model.json) nor a run directory with model/model.json")
    }
}
