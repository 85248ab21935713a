/// Whether a graph computes a training step's forward pass or inference.
public enum GraphMode: String, Hashable, Sendable {
    /// BatchNorm uses batch statistics and updates its running statistics; dropout is active.
    case training
    /// BatchNorm uses running statistics; dropout is the identity.
    case inference
}

/// One layer of a network as `netc compile` lists it: a leaf layer, or the join of a `Residual` or `Concat`.
public struct LayerSummary: Hashable, Sendable {
    /// The layer's path in `state_dict` terms, e.g. `conv1.0`.
    public var path: String
    /// The layer as written, e.g. `Conv2D(32, kernel: 3, padding: 1)`.
    public var description: String
    /// The shape of one image's input (without the batch dimension); a join's is its block's input.
    public var inputShape: [Int]
    /// The output shape of one image (without the batch dimension).
    public var outputShape: [Int]
    /// Trainable parameters the layer owns.
    public var parameterCount: Int
}

/// A checked network: its description, its layers with shapes, and its forward graph.
public struct NetworkModel: Hashable, Sendable {
    /// The description it was built from.
    public var spec: NetworkSpec
    /// Every leaf layer in order, with output shapes and parameter counts.
    public var layers: [LayerSummary]
    /// The forward graph; its output `logits` is `[N, classes]`.
    public var graph: Graph
    /// The batch size the graph was built for.
    public var batchSize: Int
    /// Whether the graph is a training or an inference forward pass.
    public var mode: GraphMode

    /// Checks a network description and builds its forward graph.
    ///
    /// - Throws: `ModelError` naming the layer and the source location for invalid values, duplicate names and
    ///   shapes that do not fit.
    public init(_ spec: NetworkSpec, batchSize: Int, mode: GraphMode) throws(ModelError) {
        var builder = GraphBuilder(spec: spec, batchSize: batchSize, mode: mode)
        try builder.build()
        self.spec = spec
        self.layers = builder.layers
        self.graph = builder.graph
        self.batchSize = batchSize
        self.mode = mode
    }

    /// The number of trainable parameters (140,778 for the reference network).
    public var parameterCount: Int {
        graph.parameters.reduce(0) { $0 + graph.type(of: $1).elementCount }
    }
}
