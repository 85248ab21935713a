import Testing

@testable import NetcGraph

@Suite struct LayerCheckTests {
    static let here = SourceLocation(file: "bad.swift-dsl", line: 4, column: 9)

    /// A one-image network whose `fc` group holds `layers`, with the layer under test written at `here`.
    static func network(
        _ layers: [LayerSpec], input: ImageShape = ImageShape(channels: 1, height: 8, width: 8)
    )
        -> NetworkSpec
    {
        NetworkSpec(
            name: "test", input: input, classes: 10,
            layers: [LayerSpec(.sequential(name: "body", layers: layers))])
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var layers: [LayerSpec]
        var path: String
        var message: String
        var testDescription: String { message }
    }

    static let cases: [Case] = [
        Case(
            layers: [LayerSpec(.conv2D(outChannels: 4, kernel: 0, stride: 1, padding: 0, bias: true), at: here)],
            path: "body.0", message: "Conv2D kernel must be positive, found 0"),
        Case(
            layers: [LayerSpec(.conv2D(outChannels: 4, kernel: 3, stride: 0, padding: 0, bias: true), at: here)],
            path: "body.0", message: "Conv2D stride must be positive, found 0"),
        Case(
            layers: [LayerSpec(.conv2D(outChannels: -2, kernel: 3, stride: 1, padding: 0, bias: true), at: here)],
            path: "body.0", message: "Conv2D needs a positive number of output channels, found -2"),
        Case(
            layers: [LayerSpec(.conv2D(outChannels: 4, kernel: 9, stride: 1, padding: 0, bias: true), at: here)],
            path: "body.0", message: "Conv2D kernel 9 with padding 0 does not fit its input [N, 1, 8, 8]"),
        Case(
            layers: [LayerSpec(.relu), LayerSpec(.dropout(probability: 1), at: here)],
            path: "body.1", message: "Dropout probability must be in [0, 1), found 1.0"),
        Case(
            layers: [LayerSpec(.maxPool(size: 9, stride: 9), at: here)],
            path: "body.0", message: "MaxPool window 9×9 is larger than its input [N, 1, 8, 8]"),
        Case(
            layers: [LayerSpec(.linear(outFeatures: 10, bias: true), at: here)],
            path: "body.0",
            message: "Linear needs a flattened [N, features] input, found [N, 1, 8, 8]; add Flatten() before it"),
        Case(
            layers: [LayerSpec(.flatten), LayerSpec(.avgPool(size: 2, stride: 2), at: here)],
            path: "body.1", message: "AvgPool needs an [N, C, H, W] input, found [N, 64]"),
        Case(
            layers: [LayerSpec(.batchNorm(momentum: 0.1, epsilon: 0), at: here)],
            path: "body.0", message: "BatchNorm epsilon must be positive, found 0.0"),
        Case(
            layers: [
                LayerSpec(.conv2D(outChannels: 4, kernel: 3, stride: 1, padding: 1, groups: 3, bias: true), at: here)
            ],
            path: "body.0",
            message:
                "Conv2D groups 3 must divide both the input channels (1, from [N, 1, 8, 8]) and the output channels (4)"
        ),
        Case(
            layers: [
                LayerSpec(.conv2D(outChannels: 4, kernel: 3, stride: 1, padding: 0, dilation: 4, bias: true), at: here)
            ],
            path: "body.0",
            message:
                "Conv2D kernel 3 at dilation 4 (spanning 9 pixels) with padding 0 does not fit its input [N, 1, 8, 8]"),
        Case(
            layers: [LayerSpec(.maxPool(size: 2, stride: 2, padding: 2), at: here)],
            path: "body.0", message: "MaxPool padding must be between 0 and half the window (1), found 2"),
        Case(
            layers: [LayerSpec(.flatten), LayerSpec(.globalAvgPool, at: here)],
            path: "body.1", message: "GlobalAvgPool needs an [N, C, H, W] input, found [N, 64]"),
        Case(
            layers: [
                LayerSpec(
                    .residual(
                        name: "r",
                        body: [LayerSpec(.conv2D(outChannels: 4, kernel: 3, stride: 2, padding: 1, bias: true))],
                        shortcut: []), at: here)
            ],
            path: "body.r",
            message: "Residual body gives [N, 4, 4, 4] but its input (the identity shortcut) gives [N, 1, 8, 8]; "
                + "the two are added, so their shapes must agree; add a projection, e.g. shortcut: { Conv2D(4, "
                + "kernel: 1, stride: ...) }"),
        Case(
            layers: [
                LayerSpec(
                    .residual(
                        name: "r",
                        body: [LayerSpec(.conv2D(outChannels: 4, kernel: 3, stride: 2, padding: 1, bias: true))],
                        shortcut: [LayerSpec(.conv2D(outChannels: 4, kernel: 1, stride: 1, padding: 0, bias: true))]),
                    at: here)
            ],
            path: "body.r",
            message: "Residual body gives [N, 4, 4, 4] but its shortcut gives [N, 4, 8, 8]; the two are added, so "
                + "their shapes must agree"),
        Case(
            layers: [LayerSpec(.residual(name: "r", body: [], shortcut: [LayerSpec(.relu)]), at: here)],
            path: "body.r", message: "Residual 'r' needs at least one layer in its body"),
        Case(
            layers: [
                LayerSpec(
                    .concat(
                        name: "mix",
                        branches: [
                            [LayerSpec(.conv2D(outChannels: 4, kernel: 3, stride: 1, padding: 1, bias: true))],
                            [LayerSpec(.conv2D(outChannels: 2, kernel: 3, stride: 1, padding: 0, bias: true))],
                        ]), at: here)
            ],
            path: "body.mix",
            message: "Concat joins its branches along channels, so every other dimension must agree, but branch 0 "
                + "gives [N, 4, 8, 8] and branch 1 gives [N, 2, 6, 6]"),
        Case(
            layers: [LayerSpec(.concat(name: "mix", branches: []), at: here)],
            path: "body.mix", message: "Concat 'mix' needs at least one 'Branch { ... }'"),
        Case(
            layers: [LayerSpec(.residual(name: "a.b", body: [LayerSpec(.relu)], shortcut: []), at: here)],
            path: "body.a.b",
            message: "Residual name 'a.b' may not contain dots or spaces (it becomes part of parameter names)"),
    ]

    @Test(arguments: cases)
    func invalidLayerNamesItsPathPlaceAndShapes(_ testCase: Case) {
        #expect(throws: ModelError(at: Self.here, layer: testCase.path, testCase.message)) {
            try NetworkModel(Self.network(testCase.layers), batchSize: 1, mode: .inference)
        }
    }

    @Test func duplicateSequentialNamesPointAtTheSecond() {
        let first = SourceLocation(file: "bad.swift-dsl", line: 2, column: 5)
        let spec = NetworkSpec(
            name: "dup", input: ImageShape(channels: 1, height: 4, width: 4), classes: 16,
            layers: [
                LayerSpec(.sequential(name: "a", layers: [LayerSpec(.relu)]), at: first),
                LayerSpec(.sequential(name: "a", layers: [LayerSpec(.flatten)]), at: Self.here),
            ])
        #expect(
            throws: ModelError(at: Self.here, layer: "a", "duplicate name 'a' (first defined at bad.swift-dsl:2:5)")
        ) {
            try NetworkModel(spec, batchSize: 1, mode: .inference)
        }
    }

    @Test func groupsOfEveryKindShareOneNamespace() {
        let first = SourceLocation(file: "bad.swift-dsl", line: 2, column: 5)
        let spec = NetworkSpec(
            name: "dup", input: ImageShape(channels: 1, height: 4, width: 4), classes: 16,
            layers: [
                LayerSpec(.residual(name: "a", body: [LayerSpec(.relu)], shortcut: []), at: first),
                LayerSpec(.concat(name: "a", branches: [[LayerSpec(.flatten)]]), at: Self.here),
            ])
        #expect(
            throws: ModelError(at: Self.here, layer: "a", "duplicate name 'a' (first defined at bad.swift-dsl:2:5)")
        ) {
            try NetworkModel(spec, batchSize: 1, mode: .inference)
        }
    }

    @Test func networkMustEndInItsClasses() {
        let spec = NetworkSpec(
            name: "short", input: ImageShape(channels: 1, height: 4, width: 4), classes: 10,
            layers: [LayerSpec(.flatten)], location: Self.here)
        #expect(throws: ModelError.self) { try NetworkModel(spec, batchSize: 1, mode: .inference) }
        do {
            _ = try NetworkModel(spec, batchSize: 1, mode: .inference)
        } catch {
            #expect(error.description.hasPrefix("bad.swift-dsl:4:9: error: the network ends with shape [N, 16]"))
        }
    }
}

@Suite struct BatchNormBatchTests {
    @Test func trainingBatchNormNeedsMoreThanOneValuePerChannel() throws {
        let here = SourceLocation(file: "m.swift-dsl", line: 3, column: 5)
        let spec = NetworkSpec(
            name: "one", input: ImageShape(channels: 2, height: 1, width: 1), classes: 2,
            layers: [LayerSpec(.flatten), LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5), at: here)])
        #expect(throws: ModelError.self) { try NetworkModel(spec, batchSize: 1, mode: .training) }
        do {
            _ = try NetworkModel(spec, batchSize: 1, mode: .training)
        } catch {
            #expect(error.location == here && error.layerPath == "1")
            #expect(error.message.hasPrefix("BatchNorm in training needs more than one value per channel"))
        }
        // Inference uses the running statistics, and two images give two values per channel.
        _ = try NetworkModel(spec, batchSize: 1, mode: .inference)
        _ = try NetworkModel(spec, batchSize: 2, mode: .training)
    }
}
