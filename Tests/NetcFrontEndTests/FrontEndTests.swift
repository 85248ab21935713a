import Foundation
import NetcFrontEnd
import NetcGraph
import Testing

/// The examples shipped in `Examples/`.
private func example(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/\(name)").path
}

@Suite struct FrontEndTests {
    @Test func referenceNetworkParsesToTheSpecItDescribes() throws {
        let spec = try FrontEnd.parseFile(atPath: example("mnist-cnn.swift-dsl"))
        let relu = LayerSpec(.relu)
        let batchNorm = LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5))
        let pool = LayerSpec(.maxPool(size: 2, stride: 2))
        let dropout = LayerSpec(.dropout(probability: 0.25))
        func conv(_ channels: Int, stride: Int = 1) -> LayerSpec {
            LayerSpec(.conv2D(outChannels: channels, kernel: 3, stride: stride, padding: 1, bias: true))
        }
        let expected: [LayerSpec] = [
            LayerSpec(
                .sequential(
                    name: "conv1",
                    layers: [
                        conv(32), relu, batchNorm, conv(32, stride: 2), relu, batchNorm, pool, dropout,
                    ])),
            LayerSpec(
                .sequential(
                    name: "conv2",
                    layers: [
                        conv(64), relu, batchNorm, conv(64, stride: 2), relu, batchNorm, pool, dropout,
                    ])),
            LayerSpec(.sequential(name: "conv3", layers: [conv(128), relu, batchNorm, pool, dropout])),
            LayerSpec(.flatten),
            LayerSpec(.sequential(name: "fc", layers: [LayerSpec(.linear(outFeatures: 10, bias: true))])),
        ]
        #expect(spec.name == "mnist-cnn")
        #expect(spec.input == ImageShape(channels: 1, height: 28, width: 28))
        #expect(spec.classes == 10)
        #expect(spec.layers.map(\.withoutLocations) == expected)
        #expect(spec.training == TrainingSpec())
    }

    @Test func locationsPointAtTheCallNames() throws {
        let path = example("mnist-cnn.swift-dsl")
        let spec = try FrontEnd.parseFile(atPath: path)
        #expect(spec.location == SourceLocation(file: path, line: 2, column: 1))
        #expect(spec.layers[0].location == SourceLocation(file: path, line: 3, column: 5))
        guard case .sequential(_, let conv1) = spec.layers[0].kind else {
            Issue.record("conv1 is not a Sequential")
            return
        }
        #expect(conv1[3].location == SourceLocation(file: path, line: 7, column: 9))
        #expect(spec.layers[3].location == SourceLocation(file: path, line: 30, column: 5))
    }

    @Test func smallExampleCarriesItsTrainingRecipe() throws {
        let spec = try FrontEnd.parseFile(atPath: example("small-cnn.swift-dsl"))
        #expect(
            spec.layers.map(\.withoutLocations) == [
                LayerSpec(
                    .sequential(
                        name: "features",
                        layers: [
                            LayerSpec(.conv2D(outChannels: 8, kernel: 3, stride: 1, padding: 1, bias: true)),
                            LayerSpec(.relu), LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
                            LayerSpec(.maxPool(size: 2, stride: 2)),
                            LayerSpec(.conv2D(outChannels: 16, kernel: 3, stride: 2, padding: 1, bias: true)),
                            LayerSpec(.relu), LayerSpec(.maxPool(size: 2, stride: 2)),
                            LayerSpec(.dropout(probability: 0.1)),
                        ])),
                LayerSpec(.flatten), LayerSpec(.linear(outFeatures: 10, bias: true)),
            ])
        #expect(
            spec.training
                == TrainingSpec(
                    epochs: 2, batchSize: 100, learningRate: 0.001, folds: 5, seed: 42, optimizer: .adam,
                    schedule: .onecycle, augment: false, weightDecay: 0))
    }

    @Test func trainingSettingsLeftOutStayUnset() throws {
        let body = "Flatten()\nTraining {\n    epochs(3)\n    schedule(.cosine)\n}"
        let source = ModelSource(path: "m", text: network(body))
        #expect(try FrontEnd.parse(source).training == TrainingSpec(epochs: 3, schedule: .cosine))
    }

    @Test func augmentationSettingsAndClassNamesAreRead() throws {
        let names = (0..<10).map { "\"c\($0)\"" }.joined(separator: ", ")
        let body = """
            Flatten()
            Linear(10)
            Training {
                rotation(10)
                affineRotation(0)
                translate(0.2)
                scale(0.8, 1.25)
                perspective(0.3)
                horizontalFlip(true)
                classNames([\(names)])
            }
            """
        let training = try FrontEnd.parse(ModelSource(path: "m", text: network(body))).training
        #expect(
            training.augmentation
                == AugmentationSettings(
                    rotationDegrees: 10, affineDegrees: 0, translation: 0.2, scale: 0.8...1.25,
                    perspectiveDistortion: 0.3,
                    perspectiveProbability: 0.5, horizontalFlip: true))
        #expect(training.classNames == (0..<10).map { "c\($0)" })
    }

    @Test func trainingFeaturesAreSettings() throws {
        let body = """
            Flatten()
            Training {
                optimizer(.adamw)
                labelSmoothing(0.1)
                emaDecay(0.999)
                timeBudget("1h30m")
                bestBy(.accuracy)
                elastic(alpha: 34, sigma: 4)
            }
            """
        let source = ModelSource(path: "m", text: network(body))
        #expect(
            try FrontEnd.parse(source).training
                == TrainingSpec(
                    optimizer: .adamw, augmentation: AugmentationSettings(elastic: ElasticDistortion(alpha: 34, sigma: 4)),
                    labelSmoothing: 0.1, averageDecay: 0.999, timeBudget: TimeBudget(seconds: 5400), bestEpoch: .accuracy))
    }

    @Test func everyArgumentCanBeSpelledOut() throws {
        let body = """
            Conv2D(4, kernel: 5, stride: 2, padding: 3, bias: false)
            Linear(7, bias: false)
            BatchNorm(momentum: 0.2, epsilon: 0.001)
            MaxPool(3, stride: 1)
            AvgPool(2)
            AvgPool(4, stride: 3)
            """
        let spec = try FrontEnd.parse(ModelSource(path: "m", text: network(body)))
        #expect(
            spec.layers.map(\.kind) == [
                .conv2D(outChannels: 4, kernel: 5, stride: 2, padding: 3, bias: false),
                .linear(outFeatures: 7, bias: false), .batchNorm(momentum: 0.2, epsilon: 0.001),
                .maxPool(size: 3, stride: 1), .avgPool(size: 2, stride: 2), .avgPool(size: 4, stride: 3),
            ])
    }

    @Test func commentsTrailingCommasAndLabelOrderAreAccepted() throws {
        let body = """
            /* a block comment */ Conv2D(8, padding: 1, kernel: 3,)  // labels in any order
            Sequential(
                "nested", // a comment between arguments
            ) {
                Sequential("deeper") { ReLU() }
            }
            """
        let spec = try FrontEnd.parse(ModelSource(path: "m", text: network(body)))
        #expect(
            spec.layers.map(\.kind) == [
                .conv2D(outChannels: 8, kernel: 3, stride: 1, padding: 1, bias: true),
                .sequential(
                    name: "nested",
                    layers: [
                        LayerSpec(
                            .sequential(
                                name: "deeper",
                                layers: [LayerSpec(.relu, at: SourceLocation(file: "m", line: 6, column: 32))]),
                            at: SourceLocation(file: "m", line: 6, column: 9))
                    ]),
            ])
    }

    @Test func residualAndConcatNestWithTheirBlocks() throws {
        let body = """
            Residual("res") {
                Conv2D(8, kernel: 3, padding: 1)
                Concat("mix") {
                    Branch { ReLU() }
                    Branch { }
                }
            } shortcut: {
                Residual("inner") { GELU() }
            }
            Residual("plain") { SiLU() }
            """
        let spec = try FrontEnd.parse(ModelSource(path: "m", text: network(body)))
        func at(_ line: Int, _ column: Int) -> NetcGraph.SourceLocation {
            NetcGraph.SourceLocation(file: "m", line: line, column: column)
        }
        let mix = LayerKind.concat(name: "mix", branches: [[LayerSpec(.relu, at: at(5, 22))], []])
        #expect(
            spec.layers.map(\.kind) == [
                .residual(
                    name: "res",
                    body: [
                        LayerSpec(.conv2D(outChannels: 8, kernel: 3, stride: 1, padding: 1, bias: true), at: at(3, 9)),
                        LayerSpec(mix, at: at(4, 9)),
                    ],
                    shortcut: [
                        LayerSpec(
                            .residual(
                                name: "inner", body: [LayerSpec(.activation(.gelu), at: at(9, 29))], shortcut: []),
                            at: at(9, 9))
                    ]),
                .residual(name: "plain", body: [LayerSpec(.activation(.silu), at: at(11, 25))], shortcut: []),
            ])
    }

    @Test func newLayersTakeTheirArguments() throws {
        let body = """
            Conv2D(8, kernel: 3, padding: 2, dilation: 2, groups: 4, bias: false)
            MaxPool(3, stride: 2, padding: 1)
            AvgPool(3, padding: 1)
            LeakyReLU()
            LeakyReLU(0.2)
            Sigmoid()
            Tanh()
            GELU()
            SiLU()
            GlobalAvgPool()
            """
        let spec = try FrontEnd.parse(ModelSource(path: "m", text: network(body)))
        #expect(
            spec.layers.map(\.kind) == [
                .conv2D(outChannels: 8, kernel: 3, stride: 1, padding: 2, dilation: 2, groups: 4, bias: false),
                .maxPool(size: 3, stride: 2, padding: 1), .avgPool(size: 3, stride: 3, padding: 1),
                .activation(.leakyReLU(slope: 0.01)), .activation(.leakyReLU(slope: 0.2)), .activation(.sigmoid),
                .activation(.tanh), .activation(.gelu), .activation(.silu), .globalAvgPool,
            ])
    }

    @Test(arguments: [
        ("Linear(60_000)", LayerKind.linear(outFeatures: 60_000, bias: true)),
        ("Linear(0x10)", .linear(outFeatures: 16, bias: true)),
        ("Linear(0o17)", .linear(outFeatures: 15, bias: true)),
        ("Linear(0b101)", .linear(outFeatures: 5, bias: true)),
        ("Linear(-3)", .linear(outFeatures: -3, bias: true)),
        ("Dropout(0)", .dropout(probability: 0)),
        ("Dropout(1e-4)", .dropout(probability: 0.0001)),
        ("Dropout(-0.5)", .dropout(probability: -0.5)),
        ("BatchNorm(momentum: 1, epsilon: 1_0.0e-1)", .batchNorm(momentum: 1, epsilon: 1)),
    ])
    func literalSpellings(statement: String, kind: LayerKind) throws {
        let spec = try FrontEnd.parse(ModelSource(path: "m", text: network(statement)))
        #expect(spec.layers.map(\.kind) == [kind])
    }
}
