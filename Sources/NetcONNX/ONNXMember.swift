import NetcGraph
import NetcRuntime

/// One model of an exported ensemble: an inference graph, the values of its parameters and state, and the
/// normalisation its images need.
public struct ONNXMember {
    /// A short name for the model's file metadata and value names: `fold 3`.
    public var name: String
    /// An inference graph reading `.input(.images)` and giving `logits`; its batch size does not matter (the
    /// exported model's batch dimension is dynamic).
    public var graph: Graph
    /// The graph's parameter and state tensors, by name.
    public var tensors: [String: Tensor]
    /// Pixel normalisation the model was trained with.
    public var normalization: Normalization

    /// A member from its parts.
    public init(name: String, graph: Graph, tensors: [String: Tensor], normalization: Normalization) {
        self.name = name
        self.graph = graph
        self.tensors = tensors
        self.normalization = normalization
    }

    /// A trained model's inference graph with its weights.
    ///
    /// - Throws: `ModelError` when the model's network does not build.
    public init(_ model: TrainedModel) throws(ModelError) {
        let graph = try NetworkModel(model.spec, batchSize: 1, mode: .inference).graph
        self.init(name: model.name, graph: graph, tensors: model.tensors, normalization: model.normalization)
    }

    /// The shape of one input image, `[C, H, W]`.
    var imageShape: [Int] {
        guard let images = graph.input(.images) else { preconditionFailure("an inference graph reads images") }
        return Array(graph.type(of: images).shape.dropFirst())
    }

    /// The number of classes.
    var classes: Int {
        guard let logits = graph.output(named: "logits") else { preconditionFailure("a network gives logits") }
        return graph.type(of: logits).shape[1]
    }
}
