import ArgumentParser
import NetcFrontEnd
import NetcGraph

/// The model file every subcommand starts from, and how to read it.
struct ModelOptions: ParsableArguments {
    @Argument(help: "The model: a .swift-dsl file.", completion: .file(extensions: ["swift-dsl"]))
    var model: String

    /// Reads, parses and checks the model, building its forward graph; on a mistake prints the located
    /// diagnostics to standard error and exits with status 1.
    func load(batchSize: Int, mode: GraphMode) throws -> NetworkModel {
        let (source, spec) = try parse()
        return try Self.build(spec, from: source, batchSize: batchSize, mode: mode)
    }

    /// Reads and parses the model file; on a mistake prints the diagnostics and exits with status 1.
    func parse() throws -> (ModelSource, NetworkSpec) {
        do {
            let source = try ModelSource(path: model)
            return (source, try FrontEnd.parse(source))
        } catch {
            Terminal.printError(error.rendered(colorize: Terminal.standardErrorIsTerminal))
            throw ExitCode.failure
        }
    }

    /// Checks `spec` by building its graph; on a mistake prints it against `source` and exits with status 1.
    static func build(
        _ spec: NetworkSpec, from source: ModelSource, batchSize: Int, mode: GraphMode
    ) throws
        -> NetworkModel
    {
        do {
            return try NetworkModel(spec, batchSize: batchSize, mode: mode)
        } catch {
            Terminal.printError(source.render(error, colorize: Terminal.standardErrorIsTerminal))
            throw ExitCode.failure
        }
    }
}
