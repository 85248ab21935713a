import NetcGraph
import NetcInterpreter
import NetcLLVM
import NetcTestSupport
import Testing

/// `checksNumerics`: both backends stop at the first NaN and name where it came from, and a NaN is not silently
/// dropped on the way (ReLU keeps it, as PyTorch does).
@Suite struct NumericsCheckTests {
    static let backends: [any Backend] = [JITBackend(), Interpreter(precision: .float32)]

    /// Prepares the reference network's inference pass with one weight replaced by NaN.
    private func inference(on backend: any Backend, poisoning name: String, at element: Int) throws -> any Executable {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 2, mode: .inference)
        let executable = try backend.prepare(model.graph, seed: 7)
        var weight = try #require(executable.persistent(named: name))
        weight.scalars[element] = .nan
        try executable.setPersistent(named: name, to: weight)
        return executable
    }

    private var images: [InputKind: Tensor] { [.images: ReferenceNetwork.batch(2)[.images]!] }

    @Test(arguments: backends)
    func nanWeightOfTheClassifierIsNamedWithItsClass(backend: any Backend) throws {
        // Row 7 of fc.0.weight only feeds logit 7, so the interpreter's first NaN is logit 7 of image 0. Compiled
        // code first copies the weights feature-major (10 classes a feature) for its vector loops, and the NaN
        // of output 7, feature 5 lands there first.
        let executable = try inference(on: backend, poisoning: "fc.0.weight", at: 7 * 128 + 5)
        executable.checksNumerics = true
        let fault = try #require(throws: NumericalFault.self) { try executable.run(images) }
        #expect(fault.layer == "fc.0")
        if backend is JITBackend {
            #expect(fault.tensor == "fc.0.weight.packed")
            #expect(fault.index == 5 * 10 + 7)
        } else {
            #expect(fault.index == 7)
        }
        #expect(fault.value.isNaN)
    }

    @Test(arguments: backends)
    func nanInAConvolutionSurvivesReluAndIsCaughtAtItsLayer(backend: any Backend) throws {
        let executable = try inference(on: backend, poisoning: "conv2.0.weight", at: 0)
        let logits = try #require(try executable.run(images)["logits"])
        #expect(logits.scalars.allSatisfy { $0.isNaN }, "a NaN after ReLU and BatchNorm reaches every logit")

        executable.checksNumerics = true
        let fault = try #require(throws: NumericalFault.self) { try executable.run(images) }
        // The interpreter stops at the convolution node; compiled code at the first conv2.0 kernel (which packs
        // the weights).
        if backend is JITBackend {
            #expect(fault.producer.hasPrefix("conv2_0_"))
        } else {
            #expect(fault.producer == "conv2.0")
        }
        #expect(fault.layer?.hasPrefix("conv2.") == true)
    }

    @Test(arguments: backends)
    func nanFromTheOptimizerIsNamedByParameterAndElement(backend: any Backend) throws {
        // A negative second moment makes Adam's sqrt NaN for one element of conv1.3.weight only.
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 2, mode: .training)
        let executable = try backend.prepare(model.trainingStep(optimizer: .adam(AdamAttributes())), seed: 7)
        var moment = try #require(executable.persistent(named: "conv1.3.weight.exp_avg_sq"))
        moment.scalars[123] = -1
        try executable.setPersistent(named: "conv1.3.weight.exp_avg_sq", to: moment)
        executable.checksNumerics = true
        let fault = try #require(throws: NumericalFault.self) { try executable.run(ReferenceNetwork.batch(2)) }
        #expect(fault.layer == "conv1.3")
        #expect(fault.tensor.hasPrefix("conv1.3.weight"))
        #expect(fault.index == 123)
    }

    @Test func finiteRunsAreUnchangedByTheCheck() throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 2, mode: .training)
        let graph = model.trainingStep(optimizer: .adam(AdamAttributes()))
        let plain = try JITBackend().prepare(graph, seed: 7)
        let checked = try JITBackend().prepare(graph, seed: 7)
        checked.checksNumerics = true
        for step in 1...2 {
            let inputs = ReferenceNetwork.batch(2, step: step)
            #expect(try plain.run(inputs) == checked.run(inputs))
        }
        #expect(plain.persistent(named: "conv2.3.weight") == checked.persistent(named: "conv2.3.weight"))
    }
}
