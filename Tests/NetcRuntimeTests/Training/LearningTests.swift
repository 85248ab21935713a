import Foundation
import NetcGraph
import NetcInterpreter
import Testing

@testable import NetcRuntime

/// The interpreter learns real digits: the end-to-end check that autodiff, the optimizer and the training loop
/// fit together. Needs `tools/fetch-mnist` (CI runs it).
@Suite struct LearningTests {
    static let trainCSV = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/mnist/train.csv").path

    static let spec = NetworkSpec(
        name: "learner", input: ImageShape(channels: 1, height: 28, width: 28), classes: 10,
        layers: [
            LayerSpec(.conv2D(outChannels: 6, kernel: 3, stride: 2, padding: 1, bias: true)), LayerSpec(.relu),
            LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)), LayerSpec(.maxPool(size: 2, stride: 2)),
            LayerSpec(.dropout(probability: 0.1)), LayerSpec(.flatten),
            LayerSpec(.linear(outFeatures: 10, bias: true)),
        ])

    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: trainCSV),
            "data/mnist/train.csv is missing: run tools/fetch-mnist to enable the learning test"))
    func interpreterHalvesTheTrainingLossOnRealDigits() throws {
        let data = try Dataset.loadKaggleCSV(
            Self.trainCSV, expecting: DataExpectation(Self.spec, modelPath: "learner.swift-dsl")
        ).prefix(1000)
        var configuration = TrainingConfiguration()
        (configuration.batchSize, configuration.learningRate, configuration.epochs) = (50, 3e-3, 3)
        let programs = try TrainingPrograms(
            spec: Self.spec, configuration: configuration, backend: Interpreter(precision: .float32))
        let trainer = try FoldTrainer(
            programs: programs, configuration: configuration, data: data,
            split: FoldSplit(count: 1000, folds: 5, seed: 1), fold: 0,
            normalization: Normalization(fitting: data))
        var firstLoss = Double.nan
        _ = try trainer.trainEpoch { batch, loss in if batch == 1 { firstLoss = loss } }
        _ = try trainer.trainEpoch()
        let lastEpochLoss = try #require(try trainer.trainEpoch())
        #expect(lastEpochLoss < firstLoss / 2, "loss went from \(firstLoss) to \(lastEpochLoss)")
        let validation = try trainer.validate()
        #expect(validation.accuracy > 0.7, "validation accuracy \(validation.accuracy)")
    }
}
