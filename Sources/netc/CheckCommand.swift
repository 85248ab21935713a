import ArgumentParser
import Foundation
import NetcGraph
import NetcInterpreter
import NetcLLVM
import NetcRuntime

/// `netc check`: runs a model on the interpreter and on the JIT from the same weights and inputs and compares
/// every tensor.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compare the JIT with the interpreter on inference and one training step, tensor by tensor.",
        discussion: """
            The training step is the one `netc train` would compile from the model file's Training { ... } block \
            and the flags below (optimizer, weight decay, label smoothing, moving average of the weights). Compares \
            logits, loss, every gradient, and every parameter, optimizer state and running statistic after the \
            update; with --ema-decay (or emaDecay in the file) also a second step, where the average moves rather \
            than copies, and the forward pass that recomputes BatchNorm statistics for the averaged weights. A \
            tensor passes when |jit - reference| <= 1e-5 + 1e-4 * |reference| for every element. \
            One exception: where a parameter's reference gradient is itself within that tolerance of zero (say a \
            convolution bias feeding BatchNorm, whose true gradient is 0), its sign is rounding noise and Adam's \
            step may go either way; such an element may miss the tolerance by as much as the largest step Adam \
            can take from its moments, and is counted as excused. And where an input of ReLU or LeakyReLU lies \
            within that tolerance of zero but on the other side in compiled code (at batch 100, one element in \
            hundreds of thousands), the two take different branches there, which moves gradients by a whole \
            element: when a tensor diverges, such elements are found and printed, and the step is compared again \
            against a reference that takes the compiled side at them. Exits with status 1 naming the first tensor \
            that diverges.
            """)

    @OptionGroup var options: ModelOptions
    @OptionGroup var step: StepOptions
    @OptionGroup(title: "Code generation") var target: TargetOptions

    @Option(name: .customLong("batch-size"), help: "Images per batch.")
    var batchSize = 4

    @Option(help: "Seed of the initial weights, the inputs and the dropout masks.")
    var seed: UInt64 = 1

    @Flag(
        help: """
            Also check the training step kernel by kernel (done anyway when a tensor diverges): each value a kernel \
            stores, on the loop evaluator against the interpreter (a lowering bug) and on the JIT against the \
            evaluator (a code-generation bug).
            """)
    var kernels = false

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, found \(batchSize)") }
    }

    func run() throws {
        let inference = try options.load(batchSize: batchSize, mode: .inference)
        let training = try options.load(batchSize: batchSize, mode: .training)
        let configuration = step.apply(to: TrainingConfiguration().applying(training.spec.training))
        print("training step: \(Self.describe(configuration))")
        let inputs = Self.inputs(for: training, seed: seed)
        var rows = try compare(inference.graph, inputs: inputs, prefix: "inference ")
        let averages = configuration.averageDecay != nil
        rows += try compare(
            configuration.trainingStep(of: training, exposingGradients: true), inputs: inputs, prefix: "",
            optimizer: configuration.graphOptimizer, steps: averages ? 2 : 1)
        if averages {
            rows += try compare(training.batchStatisticsPass().graph, inputs: inputs, prefix: "statistics ")
        }
        func layer(of name: String) -> String {
            // Tensor names hold no spaces; rows may be prefixed `inference `, `step 2 ` or `statistics `.
            TensorName.layerPath(of: name.split(separator: " ").last.map(String.init) ?? name) ?? "-"
        }
        func column(_ text: String, _ width: Int) -> String {
            text.padding(toLength: width, withPad: " ", startingAt: 0)
        }
        print(column("tensor", 40), column("layer", 10), "max abs err   max rel err   result")
        for row in rows {
            let excused = row.excusedElements.isEmpty ? "" : " (\(row.excusedElements.count) excused)"
            print(
                column(row.name, 40), column(layer(of: row.name), 10),
                String(format: "%.3e     %.3e     ", row.maxAbsoluteError, row.maxRelativeError)
                    + (row.passes ? "OK" : "FAIL") + excused)
        }
        let diverges = rows.contains { !$0.passes }
        let kernelsAgree =
            try kernels || diverges
            ? checkKernels(of: configuration.trainingStep(of: training), inputs: inputs) : true
        if let first = rows.first(where: { !$0.passes }) {
            Terminal.printError("error: '\(first.name)' (layer \(layer(of: first.name))) diverges from the interpreter")
            throw ExitCode.failure
        }
        guard kernelsAgree else { throw ExitCode.failure }
        print("all \(rows.count) tensors agree")
    }

    /// The checked step in words: `adamw (weight decay 0.01), label smoothing 0.1, EMA decay 0.999`.
    private static func describe(_ configuration: TrainingConfiguration) -> String {
        var parts = ["\(configuration.optimizer.rawValue) (weight decay \(configuration.effectiveWeightDecay))"]
        if configuration.labelSmoothing > 0 { parts.append("label smoothing \(configuration.labelSmoothing)") }
        if let decay = configuration.averageDecay { parts.append("EMA decay \(decay)") }
        return parts.joined(separator: ", ")
    }

    /// Runs one graph on both backends for steps 1 ... `steps` and compares the outputs, then every persistent
    /// tensor, after each; before each later step the compiled tensors are set to the interpreter's, so the steps
    /// compare the update rules rather than accumulated rounding. Rows of step 2 on are prefixed `step N `. When a
    /// tensor diverges and the compiled code took the other side of a ReLU's kink somewhere (`signFlips`), the step
    /// is compared again against a reference that takes the compiled side there, and the places are printed.
    private func compare(
        _ graph: Graph, inputs: [InputKind: Tensor], prefix: String, optimizer: Optimizer? = nil, steps: Int = 1
    ) throws -> [TensorComparison] {
        var reference = InterpreterExecutable(
            graph: graph, interpreter: Interpreter(precision: .float32), persistent: graph.initialValues(seed: seed))
        let compiled = try JITBackend(options: target.compilation(reusesMemory: false)).prepare(graph, seed: seed)
        let persistentNames = (graph.parameters + graph.states).map { graph[$0].name }
        var rows: [TensorComparison] = []
        for step in 1...steps {
            if step > 1 {
                for name in persistentNames {
                    if let value = reference.persistent(named: name) {
                        try compiled.setPersistent(named: name, to: value)
                    }
                }
            }
            var stepInputs = inputs.filter { graph.input($0.key) != nil }
            if graph.input(.step) != nil { stepInputs[.step] = .scalar(Double(step), .int64) }
            var before: [String: Tensor] = [:]
            for name in persistentNames { before[name] = reference.persistent(named: name) }
            let actual = try compiled.run(stepInputs)
            let prefix = step == 1 ? prefix : "\(prefix)step \(step) "
            /// The rows of this step against the reference's outputs `expected` and its tensors after the step.
            func comparisons(_ expected: [String: Tensor]) -> [TensorComparison] {
                var rows: [TensorComparison] = []
                for (name, value) in expected.sorted(by: { $0.key < $1.key }) {
                    guard let compiledValue = actual[name] else { continue }
                    rows.append(TensorComparison(name: prefix + name, actual: compiledValue, reference: value))
                }
                for name in persistentNames where !graph.updates.isEmpty {
                    guard let value = reference.persistent(named: name),
                        let compiledValue = compiled.persistent(named: name)
                    else { continue }
                    // A moving average takes its parameter's update, whole at step 1 and a fraction (1 − decay) later.
                    let average = graph.averagedParameter(of: name)
                    let parameterName = average?.parameter ?? name
                    if let optimizer, let gradient = expected["\(parameterName).grad"],
                        let parameter = before[parameterName]
                    {
                        let update = ReferenceUpdate(
                            optimizer: optimizer, parameter: parameter,
                            state: optimizer.stateNames(of: parameterName).compactMap { before[$0] },
                            gradient: gradient,
                            learningRate: Self.learningRate, step: step,
                            reach: average.map { step == 1 ? 1 : 1 - $0.decay } ?? 1)
                        rows.append(
                            TensorComparison(
                                updatedParameter: prefix + name, actual: compiledValue, reference: value, update: update
                            ))
                    } else {
                        rows.append(TensorComparison(name: prefix + name, actual: compiledValue, reference: value))
                    }
                }
                return rows
            }
            var stepRows = comparisons(try reference.run(stepInputs))
            if stepRows.contains(where: { !$0.passes }) {
                let flips = try signFlips(in: graph, inputs: stepInputs, persistent: before)
                if !flips.isEmpty {
                    print(Self.describe(flips, in: graph, prefix: prefix))
                    reference = InterpreterExecutable(
                        graph: graph, interpreter: Interpreter(precision: .float32), persistent: before)
                    stepRows = comparisons(try reference.run(stepInputs, replacing: SignFlip.replacements(flips)))
                }
            }
            rows += stepRows
        }
        return rows
    }

    /// The learning rate of the checked step.
    private static let learningRate = 1e-3

    /// Random images in [−1, 1), labels cycling through the classes, learning rate 1e-3, step 1.
    private static func inputs(for model: NetworkModel, seed: UInt64) -> [InputKind: Tensor] {
        let generator = Philox(seed: seed)
        let imageType = model.graph.type(of: model.graph.input(.images) ?? ValueID(0))
        let images = (0..<imageType.elementCount).map {
            Double(Float(2 * generator.uniform(stream: 0x7100, step: 0, index: UInt32(truncatingIfNeeded: $0)) - 1))
        }
        let classes = model.spec.classes
        return [
            .images: Tensor(imageType, images),
            .labels: Tensor(TensorType(.int32, [model.batchSize]), (0..<model.batchSize).map { Double($0 % classes) }),
            .learningRate: .scalar(learningRate),
            .step: .scalar(1, .int64),
            .seed: .scalar(Double(seed), .int64),
        ]
    }
}
