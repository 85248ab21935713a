/// The largest network netc builds, so that absurd sizes in a model file (a kernel of 10^9, a million
/// channels, thousands of layers) become a `ModelError` naming the layer instead of an arithmetic overflow
/// or an allocation that cannot succeed.
///
/// The limits sit far above any network one machine can train: a tensor of 2^31 elements is 8 GiB of
/// float32. Checking layer arguments against the tensor limit first keeps every shape computed from them
/// (`(input + 2·padding - kernel) / stride + 1`, `out·in·k·k`) inside `Int`.
struct ModelLimits {
    /// The most elements one tensor may hold; also the largest layer argument (channels, kernel, padding).
    static let largestTensor = 1 << 31
    /// The most bytes the parameters and one batch's activations may take together, 16 GiB.
    static let memoryBudget = 16 << 30
    /// The most layers a network may have, groups included.
    static let mostLayers = 10_000

    /// Bytes of parameters and activations counted so far.
    private(set) var bytesUsed = 0

    /// The number of elements of `shape`, or `nil` when it exceeds ``largestTensor`` (or `Int`).
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow && product <= largestTensor else { return nil }
            count = product
        }
        return count
    }

    /// The number of layers in `layers`, counting every group and everything inside it.
    static func layerCount(_ layers: [LayerSpec]) -> Int {
        var count = 0
        var pending = layers[...]
        while let layer = pending.popFirst() {
            count += 1
            pending += layer.kind.children
        }
        return count
    }

    /// Checks that the network is small enough to start building: its layer count and its input batch.
    static func checkNetwork(_ spec: NetworkSpec, batchSize: Int) throws(ModelError) {
        let count = layerCount(spec.layers)
        guard count <= mostLayers else {
            let message = "the network has \(count) layers, more than netc's limit of \(mostLayers)"
            throw ModelError(at: spec.location, layer: "", message)
        }
        let input = spec.input
        let shape = [batchSize, input.channels, input.height, input.width]
        guard elementCount(shape) != nil else {
            throw ModelError(at: spec.location, layer: "", tooLarge("the input batch", shape))
        }
    }

    /// Counts a layer's output and parameters toward the memory budget.
    ///
    /// - Throws: `ModelError` located at `layer` when the output is too large for one tensor or the network
    ///   so far needs more than ``memoryBudget``.
    mutating func count(
        output shape: [Int], parameters: Int, of layer: LayerSpec, path: String
    ) throws(ModelError) {
        guard let outputCount = Self.elementCount(shape) else {
            throw ModelError(at: layer.location, layer: path, Self.tooLarge("its output", shape))
        }
        bytesUsed += (outputCount + parameters) * DType.float32.byteCount
        guard bytesUsed <= Self.memoryBudget else {
            throw ModelError(
                at: layer.location, layer: path,
                "the network up to this layer (output \(shape) at batch size \(shape[0])) needs "
                    + "\(bytesUsed >> 20) MiB for parameters and activations, over netc's budget of "
                    + "\(Self.memoryBudget >> 30) GiB; use fewer channels, a smaller batch or larger strides")
        }
    }

    /// The message for a tensor of `shape`, described by `what`, over ``largestTensor`` elements.
    static func tooLarge(_ what: String, _ shape: [Int]) -> String {
        "\(what) \(shape) has more than \(largestTensor) elements, netc's limit for one tensor (8 GiB)"
    }
}
