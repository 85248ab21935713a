import ArgumentParser
import Foundation
import NetcGraph
import NetcRuntime

/// How progress is shown: a live bar on a terminal, a line per epoch otherwise.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print nothing but errors.")
    var quiet = false
    @Flag(help: "Print one JSON object per epoch (for scripts).")
    var json = false

    func validate() throws {
        if quiet && json { throw ValidationError("--quiet and --json exclude each other") }
    }

    /// The reporter for a run of `folds` folds and `epochs` epochs whose best epochs `bestEpoch` names.
    func reporter(folds: Int, epochs: Int, bestEpoch: BestEpoch) -> ProgressReporter {
        let terminal = isatty(STDOUT_FILENO) == 1
        let mode: ProgressReporter.Mode = quiet ? .quiet : json ? .json : terminal ? .terminal : .plain
        return ProgressReporter(
            mode: mode, foldCount: folds, epochCount: epochs, bestEpoch: bestEpoch, useColour: terminal)
    }
}
