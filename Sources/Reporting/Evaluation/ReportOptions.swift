import ContrastProtocols
import Foundation

/// Which images of the test folder a report evaluates.
public enum ReportSplit: String, Sendable, Codable, CaseIterable {
    /// splits/test.txt, or the dataset's reproducible random split when it has no split files.
    case test
    case valid
    /// Every annotated image.
    case all
}

/// Settings of one report run; written back as `report-config.json` for reproducing it.
public struct ReportOptions: Sendable {
    /// Model directories, or run directories containing `model/`, in comparison order (the first is the baseline).
    public var models: [URL]
    /// An X-ray folder (docs/CONVENTIONS.md, X-ray folders) with annotations.
    public var dataset: URL
    public var output: URL
    public var split: ReportSplit = .test
    /// Protocol names; empty means the four shipped ones.
    public var protocols: [String] = []
    /// τ for every model; nil uses each model card's own threshold.
    public var threshold: Double?
    /// Overlays per model and protocol.
    public var worstCount: Int = 3
    public var batchSize: Int = 4
    /// Test images each preparing thread decodes and prepares ahead of the network; with `batchSize` and
    /// `prepareThreads` it sets how many images are in memory at once.
    public var prefetch: Int = 4
    /// Threads decoding and applying the contrast protocol while the network runs (protocols cost far more than
    /// the network on small inputs).
    public var prepareThreads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// false evaluates only the first stage of two-stage models.
    public var refine: Bool = true
    /// Where protocols come from; nil loads the shipped library.
    public var protocolLibrary: ProtocolLibrary?
    /// Folders of DICOM SRs from other systems, each compared as one more arm after the models (matched to test
    /// images by referenced SOP Instance UID, landmarks by code).
    public var srPredictions: [URL] = []

    public init(models: [URL], dataset: URL, output: URL) {
        self.models = models; self.dataset = dataset; self.output = output
    }
}

/// Why a report could not be made; the message names the model, folder or protocol.
public struct ReportError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
