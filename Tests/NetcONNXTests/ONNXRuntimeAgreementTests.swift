import Foundation
import NetcGraph
import NetcONNX
import NetcRuntime
import NetcTestSupport
import Testing

/// Exported models run in ONNX Runtime give the logits netc's JIT gives (within 1e-4) and the same labels, and
/// onnx.checker accepts every file: one model and ensembles, other image shapes and class counts, both averaging
/// rules, the lowest and the default opset.
@Suite(.enabled(if: PythonEnvironment.runsONNXRuntimeTests, .init(rawValue: PythonEnvironment.skipReason)))
struct ONNXRuntimeAgreementTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var spec: @Sendable () throws -> NetworkSpec
        var members: [(seed: UInt64, normalization: Normalization)]
        var average = EnsembleAverage.logits
        var opset = ONNXExport.defaultOpset
    }

    static let mnist = Normalization(mean: 0.1307, std: 0.3081)
    static let other = Normalization(mean: 0.45, std: 0.22)
    static let colour = Normalization(mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26])
    static let cases: [Case] = [
        Case(
            testDescription: "Examples/digits8: 1×8×8, one model", spec: { try ExportFixtures.example("digits8") },
            members: [(1, mnist)]),
        Case(
            testDescription: "Examples/colour-13x17: 7 classes, per-channel normalisation, opset 13",
            spec: { try ExportFixtures.example("colour-13x17") }, members: [(2, colour)], opset: 13),
        Case(
            testDescription: "3×13×17 with BatchNorms to fold, ensemble of 3 with two normalisations",
            spec: { try ExportFixtures.spec(ExportFixtures.folding) }, members: [(3, colour), (4, other), (5, colour)]),
        Case(
            testDescription: "3×13×17 with BatchNorms to fold, ensemble averaging probabilities",
            spec: { try ExportFixtures.spec(ExportFixtures.folding) }, members: [(6, other), (7, other)],
            average: .probs),
        Case(
            testDescription: "the reference network, ensemble of 2", spec: { try ExportFixtures.example("mnist-cnn") },
            members: [(8, mnist), (9, mnist)]),
        Case(
            testDescription: "a general network (residual, concat, every activation, grouped and dilated convolution, "
                + "padded pooling, global average pooling, BatchNorm1d), ensemble of 2",
            spec: { GeneralNetwork.spec }, members: [(10, other), (11, mnist)]),
    ]

    @Test(arguments: cases)
    func onnxRuntimeAgreesWithTheJIT(_ testCase: Case) throws {
        let spec = try testCase.spec()
        let members = try testCase.members.map { seed, normalization in
            try ExportFixtures.trainedModel(spec, seed: seed, normalization: normalization)
        }
        let images = ExportFixtures.images(for: spec, count: 50, seed: 11)
        let reference = EnsemblePrediction(
            memberLogits: try members.map { try ExportFixtures.jitLogits($0, images: images) },
            classes: spec.classes, average: testCase.average)
        let export = try ONNXExport(members, average: testCase.average, opset: testCase.opset)
        try Self.expectONNXRuntime(export, images: images, toGive: reference, opset: testCase.opset)
    }

    @Test func aResidualBlockAndAReshapeAgree() throws {
        let tensors = ExportFixtures.residualTensors()
        let normalization = Normalization(mean: 0.5, std: 0.25)
        let member = ONNXMember(
            name: "residual", graph: ExportFixtures.residualGraph(batch: 1), tensors: tensors,
            normalization: normalization)
        let images = (0..<30).map { image in (0..<60).map { Double((image * 37 + $0 * 11) % 256) } }
        let logits = try ExportFixtures.jitLogits(
            ExportFixtures.residualGraph, tensors: tensors, normalization: normalization, images: images)
        let export = try ONNXExport(members: [member], network: "residual")
        try Self.expectONNXRuntime(
            export, images: images, toGive: EnsemblePrediction(memberLogits: [logits], classes: 4, average: .logits),
            opset: ONNXExport.defaultOpset)
    }

    /// Runs `export` on `images` in ONNX Runtime and expects `reference`'s scores within 1e-4 and its labels.
    static func expectONNXRuntime(
        _ export: ONNXExport, images: [[Double]], toGive reference: EnsemblePrediction, opset: Int
    ) throws {
        let classes = reference.classes
        let expected = LogitsTable(
            rows: stride(from: 0, to: reference.scores.count, by: classes).map {
                Array(reference.scores[$0..<$0 + classes])
            })
        let directory = try ExportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("model.onnx").path
        let pixels = directory.appendingPathComponent("pixels.csv").path
        let scores = directory.appendingPathComponent("scores.csv").path
        try Data(export.serializedBytes()).write(to: URL(fileURLWithPath: model))
        try ExportFixtures.pixelsCSV(images).write(toFile: pixels, atomically: true, encoding: .utf8)

        let run = try PythonEnvironment.onnxLogits(model: model, images: pixels, output: scores)
        try #require(run.status == 0, "onnx_logits.py failed: \(run.errors)")
        #expect(run.output.contains("\"opset\": \(opset)"), "\(run.output)")
        let onnxRuntime = try LogitsTable(contentsOf: scores)
        let difference = onnxRuntime.largestDifference(from: expected)
        #expect(difference <= 1e-4, "ONNX Runtime and the JIT differ by \(difference)")
        #expect(onnxRuntime.labels == reference.labels)
    }
}
