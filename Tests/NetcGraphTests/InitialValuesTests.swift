import NetcTestSupport
import Testing

@testable import NetcGraph

@Suite struct InitialValuesTests {
    @Test func followsPyTorchDefaultsFromTheSeed() throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 1, mode: .inference)
        let values = model.graph.initialValues(seed: 7)
        let weight = try #require(values["conv1.3.weight"])
        // Kaiming-uniform with a = √5: bound = 1/√fan_in = 1/√(32·3·3).
        let bound = 1 / (32.0 * 9).squareRoot()
        #expect(weight.scalars.allSatisfy { abs($0) <= bound })
        #expect(weight.scalars.max()! > 0.9 * bound && weight.scalars.min()! < -0.9 * bound)
        #expect(abs(weight.scalars.reduce(0, +) / Double(weight.scalars.count)) < 0.01 * bound * 10)
        #expect(values["fc.0.bias"]!.scalars.allSatisfy { abs($0) <= 1 / 128.0.squareRoot() })
        #expect(values["conv1.2.weight"]!.scalars == Array(repeating: 1, count: 32))
        #expect(values["conv1.2.bias"]!.scalars == Array(repeating: 0, count: 32))
        #expect(values["conv1.2.running_var"]!.scalars == Array(repeating: 1, count: 32))
        #expect(values["conv1.2.num_batches_tracked"]!.type == .scalar(.int64))
    }

    @Test func sameSeedSameValuesOtherSeedOtherValues() throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 1, mode: .inference)
        let first = model.graph.initialValues(seed: 1)
        #expect(first == model.graph.initialValues(seed: 1))
        #expect(first["conv2.0.weight"] != model.graph.initialValues(seed: 2)["conv2.0.weight"])
        #expect(first["conv2.0.weight"]!.scalars.prefix(8) != first["conv2.3.weight"]!.scalars.prefix(8))
    }

    @Test func trainingAndInferenceGraphsStartFromTheSameParameters() throws {
        let inference = try NetworkModel(ReferenceNetwork.spec, batchSize: 1, mode: .inference)
        let training = try NetworkModel(ReferenceNetwork.spec, batchSize: 5, mode: .training)
            .trainingStep(optimizer: .adam(AdamAttributes()))
        let a = inference.graph.initialValues(seed: 3)
        let b = training.initialValues(seed: 3)
        for (name, tensor) in a where !name.hasSuffix("num_batches_tracked") {
            #expect(b[name] == tensor, "\(name) differs")
        }
    }
}
