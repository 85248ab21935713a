import ArgumentParser
import Foundation
import NetcGraph
import NetcRuntime

/// `netc train`: KFold training with checkpoints, metrics and pictures in a run folder.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model with K-fold cross-validation, keeping each fold's best checkpoint.",
        discussion: """
            Defaults are the reference recipe: 5 shuffled folds, batch 100, Adam lr 1e-4, 100 epochs, augmentation \
            on. A Training { ... } block in the model file may change them; flags win over the file. The run folder \
            gets run.json, metrics.csv, losses.svg, samples.svg and fold-K/{best,last}.safetensors (and \
            fold-K/best-ema.safetensors with --ema-decay).
            """)

    @OptionGroup var options: ModelOptions
    @OptionGroup var recipe: RecipeOptions

    @Option(
        help: """
            Training data: a Kaggle-style CSV, IDX images (gzip or not, labels beside them), or a folder holding \
            one (train.csv, train-images-idx3-ubyte.gz, ...).
            """)
    var data = "data/mnist"

    @Option(name: .customLong("out"), help: "The run folder (default: runs/NETWORK-NAME).")
    var runFolder: String?

    @Option(help: "Train only this fold (1-based), e.g. one job of a job array; the others can run elsewhere.")
    var fold: Int?

    @Flag(help: "Continue an interrupted run from each fold's last checkpoint.")
    var resume = false

    @Option(help: "Use only the first N images of the data (quick experiments).")
    var limit: Int?

    @Option(help: "The engine: \(BackendChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var backend = BackendChoice.jit

    @Flag(
        name: .customLong("check-numerics"),
        help: "Check every kernel's results for NaN and infinity and name the first layer that produced one (slower).")
    var checkNumerics = false

    @OptionGroup var output: OutputOptions
    @OptionGroup(title: "Code generation") var target: TargetOptions

    func validate() throws {
        if let limit, limit < 2 { throw ValidationError("--limit must be at least 2, found \(limit)") }
        if let fold, fold < 1 { throw ValidationError("--fold counts from 1, found \(fold)") }
    }

    /// A time budget plans the epochs of the folds one process trains, so `--fold` cannot share it with others.
    private func checkFoldAgainstBudget(needsPlan: Bool) throws {
        guard fold != nil, needsPlan else { return }
        throw ValidationError("--time-budget plans the folds one process trains; with --fold give --epochs instead")
    }

    func run() throws {
        let clockStart = Date()
        let (source, spec) = try options.parse()
        let folder = RunFolder(runFolder ?? "runs/\(spec.name)")
        let manifest: RunManifest
        let dataset: Dataset
        if resume {
            manifest = try RunStart.existing(in: folder, source: source, modelPath: options.model)
            try checkFoldAgainstBudget(needsPlan: manifest.needsPlan)
            let expectation = DataExpectation(spec, modelPath: options.model)
            dataset = try DataPaths.load(manifest.data, role: .training, expecting: expectation, limit: manifest.images)
                .data
        } else {
            try checkFoldAgainstBudget(
                needsPlan: recipe.apply(to: TrainingConfiguration().applying(spec.training)).timeBudget != nil)
            (manifest, dataset) = try RunStart.new(
                spec, source: source, modelPath: options.model, recipe: recipe, data: data, limit: limit, in: folder)
        }
        if let fold, fold > manifest.folds { throw RunError.foldOutOfRange(fold: fold, folds: manifest.folds) }
        if backend == .jit, let note = try target.untunedNote(model: options.model) { Terminal.printError(note) }

        let run = KFoldRun(
            spec: spec, manifest: manifest, folder: folder, backend: try backend.backend(target), data: dataset,
            reporter: output.reporter(
                folds: manifest.folds, epochs: manifest.epochs(ofFold: 0), bestEpoch: manifest.configuration.bestEpoch))
        run.clockStart = clockStart
        try run.writeSamples()
        let interruption = Interruption { Terminal.printError($0) }
        run.stopRequest = { interruption.stopPoint }
        run.checksNumerics = checkNumerics
        if try !run.train(folds: fold.map { [$0 - 1] }, resume: resume) {
            let only = fold.map { " --fold \($0)" } ?? ""
            Terminal.printError(
                "stopped; continue with: netc train \(options.model) --out \(folder.path)\(only) --resume")
            throw ExitCode(interruption.exitStatus)
        }
    }
}
