import Testing

@testable import NetcGraph

/// Absurd sizes in a network description fail early with a `ModelError` naming the layer and the limit,
/// instead of overflowing `Int` or asking for memory no machine has (cases found by `tools/fuzz`).
@Suite struct ModelLimitsTests {
    static let here = SourceLocation(file: "huge.swift-dsl", line: 3, column: 5)

    struct Case: CustomTestStringConvertible, Sendable {
        var input: ImageShape
        var layers: [LayerSpec]
        var path: String
        var message: String
        var testDescription: String { message }
    }

    static let image = ImageShape(channels: 1, height: 8, width: 8)

    static func conv(_ channels: Int, kernel: Int = 1, padding: Int = 0) -> LayerSpec {
        LayerSpec(.conv2D(outChannels: channels, kernel: kernel, stride: 1, padding: padding, bias: true), at: here)
    }

    static let cases: [Case] = [
        Case(
            input: image, layers: [conv(4, kernel: 3, padding: .max)], path: "0",
            message: "Conv2D padding 9223372036854775807 is larger than netc's limit of 2147483648"),
        Case(
            input: image, layers: [conv(1 << 40)], path: "0",
            message: "Conv2D output channels 1099511627776 is larger than netc's limit of 2147483648"),
        Case(
            input: image, layers: [conv(1 << 30, kernel: 3)], path: "0",
            message: "its weight [1073741824, 1, 3, 3] has more than 2147483648 elements, netc's limit for one "
                + "tensor (8 GiB)"),
        Case(
            input: image, layers: [conv(1 << 28)], path: "0",
            message: "its output [1, 268435456, 8, 8] has more than 2147483648 elements, netc's limit for one "
                + "tensor (8 GiB)"),
        Case(
            input: image, layers: [LayerSpec(.flatten), LayerSpec(.linear(outFeatures: .max, bias: true), at: here)],
            path: "1", message: "Linear outputs 9223372036854775807 is larger than netc's limit of 2147483648"),
        Case(
            input: ImageShape(channels: 1 << 20, height: 1 << 20, width: 1 << 20), layers: [LayerSpec(.flatten)],
            path: "",
            message: "the input batch [1, 1048576, 1048576, 1048576] has more than 2147483648 elements, netc's "
                + "limit for one tensor (8 GiB)"),
        // Four 1024-channel convolutions of a 1024×1024 image: 4 GiB of activations each.
        Case(
            input: ImageShape(channels: 1, height: 1024, width: 1024), layers: Array(repeating: conv(1024), count: 4),
            path: "3",
            message: "the network up to this layer (output [1, 1024, 1024, 1024] at batch size 1) needs 16396 MiB "
                + "for parameters and activations, over netc's budget of 16 GiB; use fewer channels, a smaller "
                + "batch or larger strides"),
    ]

    @Test(arguments: cases)
    func absurdSizeNamesTheLayerAndTheLimit(_ testCase: Case) {
        let spec = NetworkSpec(
            name: "huge", input: testCase.input, classes: 10, layers: testCase.layers, location: Self.here)
        #expect(throws: ModelError(at: Self.here, layer: testCase.path, testCase.message)) {
            try NetworkModel(spec, batchSize: 1, mode: .training)
        }
    }

    @Test func tooManyLayersAreRefusedBeforeBuilding() {
        let head = [LayerSpec(.flatten), LayerSpec(.linear(outFeatures: 10, bias: true))]
        let layers =
            Array(repeating: LayerSpec(.relu), count: 10_000)
            + [LayerSpec(.sequential(name: "head", layers: head))]
        let spec = NetworkSpec(name: "deep", input: Self.image, classes: 10, layers: layers, location: Self.here)
        let message = "the network has 10003 layers, more than netc's limit of 10000"
        #expect(throws: ModelError(at: Self.here, layer: "", message)) {
            try NetworkModel(spec, batchSize: 1, mode: .training)
        }
    }
}
