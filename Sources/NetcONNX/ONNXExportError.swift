import NetcGraph

/// Why a model could not be written as ONNX.
public struct ONNXExportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Hashable, Sendable {
        /// A graph node whose op has no ONNX form: `layer` is the node's name (the layer path), `op` its mnemonic,
        /// `reason` why.
        case noONNXForm(layer: String, op: String, reason: String)
        /// An opset outside the range the exporter writes.
        case unsupportedOpset(Int)
        /// No model to export.
        case noModels
        /// Ensemble members that do not share one input shape and class count.
        case mismatchedMembers(first: String, other: String)
        /// A persistent tensor the graph reads that the model's tensors lack.
        case missingTensor(name: String, member: String)
    }

    /// What went wrong.
    public let kind: Kind

    /// Creates an error.
    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .noONNXForm(let layer, let op, let reason):
            "error: layer '\(layer)': \(op) has no ONNX form: \(reason)"
        case .unsupportedOpset(let opset):
            "error: opset \(opset) is not supported; netc writes opsets \(ONNXExport.supportedOpsets.lowerBound)"
                + "-\(ONNXExport.supportedOpsets.upperBound) (default \(ONNXExport.defaultOpset))"
        case .noModels:
            "error: nothing to export: no trained model was given"
        case .mismatchedMembers(let first, let other):
            "error: '\(other)' does not take the same images or give the same classes as '\(first)'; an ensemble's "
                + "models must share both"
        case .missingTensor(let name, let member):
            "error: '\(member)' has no tensor '\(name)', which the network reads"
        }
    }
}
