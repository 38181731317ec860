import Foundation

/// A checkpoint that cannot be used to resume; says what is wrong.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
