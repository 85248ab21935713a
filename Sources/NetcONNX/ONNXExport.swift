import Foundation
import NetcGraph
import NetcRuntime
import ONNXProto

/// One trained model, or an ensemble of them, as one ONNX model that ONNX Runtime (or any ONNX consumer) runs
/// without netc.
///
/// The model's one input, `pixels`, is raw float32 pixels in 0-255 shaped `[N, C, H, W]` with a dynamic batch
/// dimension `N` (or, with a pixel divisor of 1, values as netc reads float32 data). Each member normalises them
/// as it was trained, `(pixels − 255·mean[c]) / (255·std[c])` for channel c, and runs its
/// inference graph (BatchNorm with running statistics, no dropout); the ensemble then averages the members'
/// logits — the rule `netc predict` uses — into the one output `logits`, `[N, classes]`. With
/// `EnsembleAverage.probs` it averages their softmax probabilities into `probabilities` instead.
public struct ONNXExport {
    /// The opset written unless another is asked for.
    public static let defaultOpset = 17
    /// The opsets every op netc writes has the same meaning in: 13 (the oldest with today's forms of the ops it
    /// uses) to 17.
    public static let supportedOpsets = 13...17

    /// The ONNX model.
    public let model: Onnx_ModelProto
    /// The number of weights the model stores (every member's, with folded BatchNorms counted once).
    public let weightCount: Int

    /// Builds the ONNX model of trained models, which must share their input shape and classes.
    ///
    /// - Throws: ``ONNXExportError`` as ``init(members:network:average:opset:pixelDivisor:)``.
    public init(
        _ models: [TrainedModel], average: EnsembleAverage = .logits, opset: Int = defaultOpset,
        pixelDivisor: Double = 255
    ) throws {
        try self.init(
            members: models.map(ONNXMember.init), network: models.first?.spec.name ?? "", average: average,
            opset: opset, pixelDivisor: pixelDivisor)
    }

    /// Builds the ONNX model of `members`, which must share their input shape and classes; `network` names the
    /// graph.
    ///
    /// - Parameter pixelDivisor: what the input is divided by before normalisation, as netc divides the data it
    ///   reads: 255 for pixels in 0-255 (byte images), 1 for values as netc reads float32 data.
    /// - Throws: ``ONNXExportError`` for an opset outside ``supportedOpsets``, no members, members that do not
    ///   fit together, a missing tensor, or a graph node with no ONNX form (naming its layer).
    public init(
        members: [ONNXMember], network: String, average: EnsembleAverage = .logits, opset: Int = defaultOpset,
        pixelDivisor: Double = 255
    )
        throws(ONNXExportError)
    {
        guard Self.supportedOpsets.contains(opset) else { throw ONNXExportError(.unsupportedOpset(opset)) }
        guard let first = members.first else { throw ONNXExportError(.noModels) }
        if let other = members.first(where: { $0.imageShape != first.imageShape || $0.classes != first.classes }) {
            throw ONNXExportError(.mismatchedMembers(first: first.name, other: other.name))
        }
        var builder = ONNXGraphBuilder()
        try Self.addEnsemble(members, average: average, pixelDivisor: pixelDivisor, into: &builder)
        var graph = builder.graph
        graph.name = network
        graph.docString = Self.describe(members, network: network, average: average)

        var model = Onnx_ModelProto()
        // The IR version each opset came with: 7 for opsets 13-14, 8 for 15-17.
        model.irVersion = opset <= 14 ? 7 : 8
        var operators = Onnx_OperatorSetIdProto()
        operators.domain = ""
        operators.version = Int64(opset)
        model.opsetImport = [operators]
        model.producerName = "netc"
        model.docString = graph.docString
        model.metadataProps = Self.metadata(members, network: network, average: average, pixelDivisor: pixelDivisor)
        model.graph = graph
        self.model = model
        weightCount = builder.weightCount
    }

    /// Adds the input `pixels`, each member's normalisation and graph, their average and the output.
    static func addEnsemble(
        _ members: [ONNXMember], average: EnsembleAverage, pixelDivisor: Double, into builder: inout ONNXGraphBuilder
    ) throws(ONNXExportError) {
        let image = members[0].imageShape
        let pixels = builder.addInput("pixels", dimensions: [.batch] + image.map { .fixed($0) })
        let output = average == .logits ? "logits" : "probabilities"
        var normalized: [Normalization: String] = [:]
        var outputs: [String] = []
        for member in members {
            let prefix = members.count == 1 ? "" : Self.prefix(for: member.name)
            let input =
                normalized[member.normalization]
                ?? Self.normalize(
                    pixels, member.normalization, channels: image[0], divisor: pixelDivisor, into: &builder)
            normalized[member.normalization] = input
            var translator = MemberTranslator(
                graph: member.graph, tensors: member.tensors, member: member.name, prefix: prefix)
            let memberOutput = members.count == 1 && average == .logits ? output : prefix + "logits"
            var scores = try translator.translate(input: input, output: memberOutput, into: &builder)
            if average == .probs {
                let name = members.count == 1 ? output : prefix + "probabilities"
                scores = builder.addNode("Softmax", [scores], output: name, attributes: [.int("axis", 1)])
            }
            outputs.append(scores)
        }
        if outputs.count > 1 { builder.addNode("Mean", outputs, output: output) }
        builder.addOutput(output, dimensions: [.batch, .fixed(members[0].classes)])
    }

    /// The model in ONNX's protobuf encoding, as `.onnx` files hold it.
    public func serializedBytes() throws -> [UInt8] {
        try model.serializedBytes()
    }

    /// A one-line description for people: what the model holds, takes and gives.
    public var summary: String {
        let graph = model.graph
        func shape(_ value: Onnx_ValueInfoProto) -> String {
            let dimensions = value.type.tensorType.shape.dim.map { dimension in
                if case .dimParam(let name) = dimension.value { name } else { "\(dimension.dimValue)" }
            }
            return "[" + dimensions.joined(separator: ", ") + "]"
        }
        let weights = weightCount.formatted(.number.grouping(.automatic))
        return "\(graph.docString) Input '\(graph.input[0].name)' float32 \(shape(graph.input[0])), output '"
            + "\(graph.output[0].name)' \(shape(graph.output[0])); opset \(model.opsetImport[0].version), "
            + "\(graph.node.count) nodes, \(weights) weights."
    }

    /// `fold 2` → `fold2/`: a name prefix that keeps the members' values apart.
    static func prefix(for member: String) -> String {
        String(member.filter { $0.isLetter || $0.isNumber || "_-.".contains($0) }) + "/"
    }

    /// Adds `(pixels − divisor·mean[c]) / (divisor·std[c])` per channel c, netc's `(value/divisor − mean[c]) /
    /// std[c]`, and returns its name.
    static func normalize(
        _ pixels: String, _ normalization: Normalization, channels: Int, divisor: Double,
        into builder: inout ONNXGraphBuilder
    ) -> String {
        guard let normalization = normalization.broadcast(to: channels) else {
            preconditionFailure("a trained model's normalisation fits its images")
        }
        let shape = [1, channels, 1, 1]
        let mean = builder.addInitializer("pixel_mean", float32: normalization.mean.map { divisor * $0 }, shape: shape)
        let std = builder.addInitializer("pixel_std", float32: normalization.std.map { divisor * $0 }, shape: shape)
        let centred = builder.addNode("Sub", [pixels, mean], output: "pixels_centred")
        return builder.addNode("Div", [centred, std], output: "pixels_normalized")
    }

    static func describe(_ members: [ONNXMember], network: String, average: EnsembleAverage) -> String {
        if members.count == 1 { return "\(members[0].name) of '\(network)'." }
        let rule = average == .logits ? "logits averaged" : "softmax probabilities averaged"
        return "Ensemble of \(members.count) models of '\(network)' (\(rule)): "
            + members.map(\.name).joined(separator: ", ") + "."
    }

    static func metadata(_ members: [ONNXMember], network: String, average: EnsembleAverage, pixelDivisor: Double)
        -> [Onnx_StringStringEntryProto]
    {
        let entries = [
            ("netc.network", network),
            ("netc.members", members.map(\.name).joined(separator: ", ")),
            ("netc.average", average.rawValue),
            ("netc.input", pixelDivisor == 255 ? "pixels 0-255, float32, NCHW" : "values divided by \(pixelDivisor)"),
            ("netc.normalization", members.map { "mean \($0.normalization.mean), std \($0.normalization.std)" }
                .joined(separator: "; ")),
        ]
        return entries.map { key, value in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            return entry
        }
    }
}
