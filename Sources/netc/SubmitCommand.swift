import ArgumentParser
import Foundation
import NetcGraph
import NetcRuntime

/// `netc submit`: K-fold training as a Slurm job array, then an ensembling job.
struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Train the folds of a run as a Slurm job array, then ensemble them in a job that waits for it.",
        discussion: """
            Prepares the run folder here (run.json, normalisation, fold folders), writes RUN/slurm/train.sbatch and \
            ensemble.sbatch, and submits with sbatch an array job whose task K runs `netc train --fold K --resume` \
            (requeue-safe: SIGTERM saves the epoch so far) and a job that starts once every task has ended and runs \
            `netc predict` (and `netc evaluate` when the test images have labels), failing if a fold did not \
            finish. Options after `--` go to both sbatch calls, e.g. -- --partition=cpu --time=4:00:00 \
            --cpus-per-task=8. With --resume, submits again only the folds of RUN that are not finished.
            """)

    @OptionGroup var options: ModelOptions
    @OptionGroup var recipe: RecipeOptions

    @Option(help: "Training data (as for netc train).")
    var data = "data/mnist"

    @Option(name: .customLong("out"), help: "The run folder (default: runs/NETWORK-NAME).")
    var runFolder: String?

    @Option(help: "Use only the first N images of the data (quick experiments).")
    var limit: Int?

    @Option(
        name: .customLong("test-data"),
        help: "The images the ensemble predicts (default: the folder of the training data, its test.csv or t10k-*).")
    var testData: String?

    @Option(help: "The engine: \(BackendChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var backend = BackendChoice.jit

    @Flag(name: .customLong("check-numerics"), help: "Check every kernel's results for NaN and infinity (slower).")
    var checkNumerics = false

    @Flag(help: "Let the ensemble go ahead without the folds that did not finish (by default it fails naming them).")
    var allowMissingFolds = false

    @Flag(
        help: """
            Submit the unfinished folds of an existing run again, and a new ensembling job (the same model file; the \
            run's own data; test images from beside them unless --test-data).
            """)
    var resume = false

    @Flag(help: "Print the job scripts and sbatch command lines; write and submit nothing.")
    var dryRun = false

    @Argument(parsing: .postTerminator, help: "Options for sbatch, after `--`.")
    var sbatchOptions: [String] = []

    func validate() throws {
        if let limit, limit < 2 { throw ValidationError("--limit must be at least 2, found \(limit)") }
    }

    func run() throws {
        guard dryRun || Sbatch.isAvailable else { throw SlurmError.sbatchNotFound }
        let (source, spec) = try options.parse()
        guard recipe.apply(to: TrainingConfiguration().applying(spec.training)).timeBudget == nil else {
            throw ValidationError("a time budget plans the folds one process trains; netc submit trains each fold as a "
                + "job of its own: give --epochs instead")
        }
        let folder = RunFolder(Self.absolute(runFolder ?? "runs/\(spec.name)"))
        let existing = resume ? try RunStart.existing(in: folder, source: source, modelPath: options.model) : nil
        // A resumed run's images are those in run.json; a new run's test images are checked before it is prepared.
        let testData = Self.absolute(self.testData ?? Self.folder(holding: existing?.data ?? data))
        let evaluates = try SubmitCommand.checkTestData(testData, spec: spec, modelPath: options.model)
        let folds: [Int]
        if let existing {
            folds = try folder.foldStates(of: existing).enumerated().filter { $0.element != .finished }
                .map { $0.offset + 1 }
            guard !folds.isEmpty else {
                print("\(folder.path): every fold is finished; ensemble them with netc predict \(folder.path)")
                return
            }
        } else if dryRun {
            folds = Array(1...recipe.apply(to: TrainingConfiguration().applying(spec.training)).folds)
        } else {
            let manifest = try RunStart.new(
                spec, source: source, modelPath: options.model, recipe: recipe, data: Self.absolute(data),
                limit: limit, in: folder
            ).manifest
            folds = Array(1...manifest.folds)
            print(
                "prepared \(folder.path): \(manifest.folds) folds of \(manifest.epochs) epochs on \(manifest.images) "
                    + "images of \(manifest.data)")
        }
        let jobs = SlurmJobs(
            netc: Self.executablePath(), folder: folder, folds: folds,
            trainFlags: ["--backend", backend.rawValue] + (checkNumerics ? ["--check-numerics"] : []),
            testData: testData, evaluates: evaluates, allowMissingFolds: allowMissingFolds, name: "netc-\(spec.name)",
            sbatchOptions: sbatchOptions)
        if dryRun {
            SubmissionReport.printDryRun(jobs)
        } else {
            try SubmissionReport.submit(jobs)
        }
    }

    /// Loads the test images to check them against the model now rather than after training, and says whether
    /// they have labels to evaluate against.
    static func checkTestData(_ path: String, spec: NetworkSpec, modelPath: String) throws -> Bool {
        let expectation = DataExpectation(spec, modelPath: modelPath)
        let (source, data) = try DataPaths.load(path, role: .test, expecting: expectation)
        return data.labels != nil || EnsembleResult.labelsBeside(source) != nil
    }

    /// `path` made absolute against the current directory, as the jobs may start elsewhere.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// `path` itself when it is a folder, else the folder holding it.
    static func folder(holding path: String) -> String {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
    }

    /// The running netc's own path, for the jobs to run the same build.
    static func executablePath() -> String {
        Bundle.main.executablePath ?? absolute(CommandLine.arguments[0])
    }
}
