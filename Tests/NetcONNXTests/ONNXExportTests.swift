import Foundation
import NetcGraph
import NetcRuntime
import ONNXProto
import SwiftProtobuf
import Testing

@testable import NetcONNX

/// What an exported file holds, read back with the generated protobuf types: its signature, which BatchNorms are
/// folded, that dropout is gone, and the errors for what cannot be exported.
@Suite struct ONNXExportTests {
    /// The exported model, written and read back as bytes.
    static func exported(
        _ spec: NetworkSpec, members: Int = 1, average: EnsembleAverage = .logits, opset: Int = 17
    ) throws -> Onnx_ModelProto {
        let models = try (0..<members).map { try ExportFixtures.trainedModel(spec, seed: UInt64($0)) }
        return try Onnx_ModelProto(serializedBytes: ONNXExport(models, average: average, opset: opset).serializedBytes())
    }

    /// `opType name` per node, in order.
    static func nodes(_ model: Onnx_ModelProto) -> [String] {
        model.graph.node.map { "\($0.opType) \($0.name)" }
    }

    /// `name [dims]` of a graph input or output.
    static func signature(_ value: Onnx_ValueInfoProto) -> String {
        let dimensions = value.type.tensorType.shape.dim.map { dimension in
            if case .dimParam(let name) = dimension.value { name } else { "\(dimension.dimValue)" }
        }
        return "\(value.name) [\(dimensions.joined(separator: ", "))]"
    }

    @Test func batchNormAfterAConvolutionOrLinearLayerIsFoldedAndDropoutIsGone() throws {
        let model = try Self.exported(ExportFixtures.spec(ExportFixtures.folding))
        #expect(
            Self.nodes(model) == [
                "Sub pixels_centred", "Div pixels_normalized", "Conv features.0+features.1", "Relu features.2",
                "Conv features.3", "Relu features.4", "BatchNormalization features.5", "AveragePool features.6",
                "Flatten 1", "Gemm head.0+head.1", "Relu head.2", "Gemm head.4+head.5",
            ])
        let initializers = model.graph.initializer.map(\.name)
        #expect(initializers.contains("head.4+head.5.bias"))
        #expect(model.graph.node.last?.output == ["logits"])
        #expect(!initializers.contains { $0.hasPrefix("head.5.") || $0.hasSuffix("num_batches_tracked") })
        #expect(model.graph.input.map(Self.signature) == ["pixels [N, 3, 13, 17]"])
        #expect(model.graph.output.map(Self.signature) == ["logits [N, 7]"])
    }

    @Test func aSharedConvolutionKeepsItsBatchNormAndAReshapeItsDynamicBatch() throws {
        let graph = ExportFixtures.residualGraph(batch: 1)
        let member = ONNXMember(
            name: "residual", graph: graph, tensors: ExportFixtures.residualTensors(),
            normalization: .init(mean: 0, std: 1))
        let model = try ONNXExport(members: [member], network: "residual").model
        // The convolution feeds the sum too, so its BatchNorm stays.
        #expect(
            Self.nodes(model) == [
                "Sub pixels_centred", "Div pixels_normalized", "Conv conv", "BatchNormalization norm", "Relu relu",
                "Add residual", "Reshape rows", "Relu relu2", "Flatten flatten", "Gemm fc",
            ])
        let shape = try #require(model.graph.initializer.first { $0.name == "rows.shape" })
        #expect(shape.int64Data == [0, 15, 6])
        #expect(model.graph.name == "residual")
    }

    @Test func ensembleMembersArePrefixedAndAveraged() throws {
        let model = try Self.exported(ExportFixtures.example("digits8"), members: 2, average: .probs)
        let nodes = Self.nodes(model)
        #expect(nodes.prefix(3) == ["Sub pixels_centred", "Div pixels_normalized", "Conv seed0/features.0"])
        #expect(nodes.contains("Softmax seed1/probabilities"))
        #expect(nodes.last == "Mean probabilities")
        #expect(model.graph.output.map(Self.signature) == ["probabilities [N, 10]"])
        #expect(model.graph.node.last?.input == ["seed0/probabilities", "seed1/probabilities"])
    }

    @Test(arguments: [(13, 7), (15, 8), (17, 8)])
    func opsetAndIRVersion(opset: Int, irVersion: Int64) throws {
        let model = try Self.exported(ExportFixtures.example("digits8"), opset: opset)
        #expect(model.opsetImport.map(\.version) == [Int64(opset)])
        #expect(model.opsetImport.map(\.domain) == [""])
        #expect(model.irVersion == irVersion)
        #expect(model.producerName == "netc")
    }

    @Test func anOpsetOutsideTheRangeIsRefused() throws {
        let spec = try ExportFixtures.example("digits8")
        let model = try ExportFixtures.trainedModel(spec, seed: 1)
        #expect(throws: ONNXExportError(.unsupportedOpset(12))) { try ONNXExport([model], opset: 12) }
        #expect(throws: ONNXExportError(.noModels)) { try ONNXExport([]) }
    }

    @Test func membersOfDifferentShapesAreRefused() throws {
        let digits = try ExportFixtures.trainedModel(ExportFixtures.example("digits8"), seed: 1)
        let colour = try ExportFixtures.trainedModel(ExportFixtures.example("colour-13x17"), seed: 2)
        #expect(throws: ONNXExportError(.mismatchedMembers(first: "seed 1", other: "seed 2"))) {
            try ONNXExport([digits, colour])
        }
    }

    @Test func anOpWithoutAnONNXFormIsAnErrorNamingTheLayer() throws {
        let spec = try ExportFixtures.example("digits8")
        let model = try ExportFixtures.trainedModel(spec, seed: 1)
        // The training graph's BatchNorm computes batch statistics, which ONNX inference has no form for.
        let training = try NetworkModel(spec, batchSize: 4, mode: .training).graph
        var translator = MemberTranslator(graph: training, tensors: model.tensors, member: "fold 1", prefix: "")
        var builder = ONNXGraphBuilder()
        let error = #expect(throws: ONNXExportError.self) {
            try translator.translate(input: "pixels", output: "logits", into: &builder)
        }
        #expect(
            error?.description
                == "error: layer 'features.2.moments': batchMoments has no ONNX form: it belongs to training; netc exports a "
                + "network's inference graph")
    }

    @Test func aMissingTensorIsNamed() throws {
        let spec = try ExportFixtures.example("digits8")
        var tensors = try ExportFixtures.trainedModel(spec, seed: 1).tensors
        tensors["features.0.weight"] = nil
        let model = TrainedModel(name: "fold 1", spec: spec, tensors: tensors, normalization: .init(mean: 0, std: 1))
        #expect(throws: ONNXExportError(.missingTensor(name: "features.0.weight", member: "fold 1"))) {
            try ONNXExport([model])
        }
    }
}
