import ArgumentParser
import Foundation
import NetcGraph
import NetcLLVM
import NetcLoops

/// `netc compile`: checks a model and shows what the compiler makes of it.
struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Check a model and print its layers, shapes, parameter count and cost.",
        discussion: """
            With --emit graph or --emit dot, print the graph instead (the inference graph, or with --training the \
            whole training step: forward, loss, gradients, optimizer update). --emit loops prints the fused loop \
            nests and memory plan; --emit ir the LLVM IR (optimised unless --no-opt); --emit asm and --emit obj \
            the assembly or an object file (obj needs -o) for --target; --emit header a C header declaring the \
            entry function with its memory contract (arena sizes, the offset of every tensor); --emit pytorch the \
            equivalent PyTorch module in Python, whose state_dict loads netc's checkpoints with strict=True. The \
            summary ends with the time the JIT takes to compile the training step.
            """)

    /// What `compile` prints.
    enum Emit: String, ExpressibleByArgument, CaseIterable {
        case summary, graph, dot, loops, ir, asm, obj, header, pytorch
    }

    @OptionGroup var options: ModelOptions

    @Option(help: "What to print: \(Emit.allCases.map(\.rawValue).joined(separator: ", ")).")
    var emit: Emit = .summary

    @Flag(help: "Show the training step's graph instead of inference.")
    var training = false

    @Option(name: .customLong("batch-size"), help: "Images per batch the graph is specialised for.")
    var batchSize = 100

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @Flag(name: .customLong("no-opt"), help: "Emit LLVM IR, assembly or objects without LLVM's optimisations.")
    var noOptimization = false

    @OptionGroup(title: "Code generation") var target: TargetOptions

    @OptionGroup(title: "Code output (ir, asm, obj, header)") var code: CodeOutputOptions

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, found \(batchSize)") }
        if emit == .obj && (output == nil || output == "-") {
            throw ValidationError("--emit obj writes a binary file; give its path with -o")
        }
    }

    func run() throws {
        let model = try options.load(batchSize: batchSize, mode: training ? .training : .inference)
        let graph = training ? model.trainingStep(optimizer: .adam(AdamAttributes())) : model.graph
        let optimization: OptimizationLevel = noOptimization ? .off : .aggressive
        let text: String
        switch emit {
        case .summary: text = model.summary + (try trainingCompileSummary())
        case .graph: text = graph.text
        case .dot: text = graph.dot
        case .loops: text = try pipeline().program(for: graph).text
        case .pytorch: text = model.pytorchSource
        case .ir: text = try compiled(graph, optimization).llvmIR()
        case .asm: text = try compiled(graph, optimization).assembly()
        case .header: text = try compiled(graph, optimization).header()
        case .obj:
            let bytes = try compiled(graph, optimization).object()
            try Data(bytes).write(to: URL(fileURLWithPath: output ?? "netc.o"), options: .atomic)
            return
        }
        try Terminal.write(text, to: output)
    }

    /// The loop pipeline for the target, with the tuned schedules.
    private func pipeline() throws -> LoopPipeline {
        LoopPipeline(target: target.hostTarget.description, schedules: try target.schedules())
    }

    /// The graph's program with the code output options, its banner naming this command without `-o`.
    private func compiled(_ graph: Graph, _ optimization: OptimizationLevel) throws -> AheadOfTimeCode {
        let flags =
            ["--emit", emit.rawValue, "--batch-size", "\(batchSize)"] + (training ? ["--training"] : [])
            + (noOptimization ? ["--no-opt"] : []) + target.arguments + code.arguments
        let command = (["netc", "compile", options.model] + flags).joined(separator: " ")
        return code.code(
            for: try pipeline().program(for: graph), target: target.hostTarget, optimization: optimization,
            command: command)
    }

    /// One line: how long the JIT takes to compile the training step, and into how many kernels.
    private func trainingCompileSummary() throws -> String {
        let model = try options.load(batchSize: batchSize, mode: .training)
        let graph = model.trainingStep(optimizer: .adam(AdamAttributes()))
        let schedules = try target.schedules()
        let kernels = KernelSignature.all(in: graph)
        let tuned = kernels.filter { schedules.tuned[$0] != nil }.count
        let source = target.scheduleCache == "none" ? "none used" : target.cache.path
        let scheduleLine =
            "convolution and linear kernels of the training step: \(tuned) of \(kernels.count) tuned for this CPU and "
            + "\(target.hostTarget.description.name) (\(source)), the rest by the built-in heuristic\n"
        guard target.target.featuresMissingOnHost.isEmpty else { return scheduleLine }
        let executable = try JITBackend(options: target.compilation()).compile(graph, seed: 0)
        let milliseconds =
            Double(executable.compileTime.components.attoseconds) / 1e15
            + Double(executable.compileTime.components.seconds) * 1000
        return scheduleLine
            + String(
                format: "JIT compile time of the training step: %.0f ms (%d kernels)\n", milliseconds,
                executable.program.kernels.count)
    }
}
