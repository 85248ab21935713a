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
        subcommands: [
            CompileCommand.self, CheckCommand.self, TrainCommand.self, SubmitCommand.self, PredictCommand.self,
            EvaluateCommand.self, ExportCommand.self, BenchCommand.self, TuneCommand.self,
        ])
}

extension Netc {
    /// Parses the command line, then runs the subcommand. Mistakes in the command line are reported by the
    /// argument parser (with usage); errors from running are netc's own diagnostics, already worded
    /// `PLACE: error: MESSAGE`, and are printed as they are, with exit status 1.
    static func main() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch  where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // Help, version and exit codes: the parser knows how to report its own.
            Self.exit(withError: error)
        } catch {
            let text = "\(error)"
            Terminal.printError(text.contains("error: ") ? text : "error: \(text)")
            Self.exit(withError: ExitCode.failure)
        }
    }
}
