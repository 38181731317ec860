import Foundation

/// A run directory lacks an artefact that was asked for; it prints as the trainer's run-directory errors do.
public struct RunArtefactError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "run directory: \(message)" }
}
