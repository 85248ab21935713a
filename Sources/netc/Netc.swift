import ArgumentParser

/// The `netc` command: a neural-network compiler for `.swift-dsl` models.
@main
struct Netc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netc",
        abstract: "A neural-network compiler: .swift-dsl models to LLVM, trained and run on the CPU.",
        discussion: """
            A model is a .swift-dsl file (Swift syntax, never executed) describing the network. \
            See Examples/mnist-cnn.swift-dsl.
            """,
        subcommands: [CompileCommand.self, CheckCommand.self, TrainCommand.self, PredictCommand.self, EvaluateCommand.self])
}
