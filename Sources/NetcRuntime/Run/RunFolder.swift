import Foundation

/// The files of a training run:
///
///     RUNDIR/run.json                the manifest (recipe, normalisation, model hash)
///     RUNDIR/model.swift-dsl         the model file the run trains
///     RUNDIR/metrics.csv             every fold's epochs (rebuilt from the folds' own files)
///     RUNDIR/losses.svg              loss curves per fold and their average
///     RUNDIR/samples.svg             30 training digits before and after augmentation
///     RUNDIR/fold-K/metrics.csv      fold K's epochs, written by whichever process trains fold K
///     RUNDIR/fold-K/best.safetensors the epoch with the lowest validation loss (PyTorch state_dict names)
///     RUNDIR/fold-K/best-ema.safetensors  the moving average of the weights at the epoch where it validated best
///     RUNDIR/fold-K/last.safetensors the latest epoch with optimizer state (and the average), for --resume (or
///                                    the epoch so far, with batches_done, when SIGTERM stopped it between batches)
///     RUNDIR/.summaries.lock         taken by whichever process rebuilds metrics.csv and losses.svg
///     RUNDIR/slurm/                  the job scripts and logs of `netc submit`
///     RUNDIR/submission.csv          written by `netc submit`'s ensembling job
///
/// Folds are numbered from 1 in file names, as users count them. Every file is written atomically.
public struct RunFolder: Hashable, Sendable {
    /// The run folder's path.
    public let path: String

    /// A run folder at `path` (not created until `create()`).
    public init(_ path: String) { self.path = path }

    /// The manifest.
    public var manifest: String { "\(path)/run.json" }
    /// The copy of the model file.
    public var model: String { "\(path)/model.swift-dsl" }
    /// All folds' metrics.
    public var metrics: String { "\(path)/metrics.csv" }
    /// The loss curves.
    public var losses: String { "\(path)/losses.svg" }
    /// The augmentation samples.
    public var samples: String { "\(path)/samples.svg" }
    /// The folder of fold `fold` (0-based).
    public func fold(_ fold: Int) -> String { "\(path)/fold-\(fold + 1)" }
    /// Fold `fold`'s metrics.
    public func foldMetrics(_ fold: Int) -> String { "\(self.fold(fold))/metrics.csv" }
    /// Fold `fold`'s best checkpoint.
    public func best(_ fold: Int) -> String { "\(self.fold(fold))/best.safetensors" }
    /// Fold `fold`'s best checkpoint of the moving average of the weights (when the run keeps one).
    public func bestAverage(_ fold: Int) -> String { "\(self.fold(fold))/best-ema.safetensors" }
    /// Fold `fold`'s resumable checkpoint.
    public func last(_ fold: Int) -> String { "\(self.fold(fold))/last.safetensors" }

    /// Creates the folder and the fold folders.
    public func create(folds: Int) throws {
        for fold in 0..<folds {
            try FileManager.default.createDirectory(atPath: self.fold(fold), withIntermediateDirectories: true)
        }
    }

    /// Reads the manifest.
    public func readManifest() throws -> RunManifest {
        guard let data = FileManager.default.contents(atPath: manifest) else {
            throw RunError.missingManifest(path: manifest)
        }
        do {
            return try JSONDecoder().decode(RunManifest.self, from: data)
        } catch {
            throw RunError.unreadableManifest(path: manifest, reason: "\(error)")
        }
    }

    /// Writes the manifest atomically.
    public func write(_ manifest: RunManifest) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(manifest)) + [0x0A], to: self.manifest)
    }
}

/// Mistakes in using a run folder.
public enum RunError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The folder has no `run.json`.
    case missingManifest(path: String)
    /// `run.json` is not a manifest.
    case unreadableManifest(path: String, reason: String)
    /// `--resume` with a model file other than the run's.
    case modelChanged(path: String)
    /// `--fold` outside the run's folds.
    case foldOutOfRange(fold: Int, folds: Int)
    /// No fold has a best checkpoint yet.
    case noCheckpoints(path: String)
    /// Folds (0-based) that are not finished, with their states and the epochs each trains, of a run of `total`
    /// folds: an ensemble of the others would silently be an ensemble of fewer folds.
    case unfinishedFolds(path: String, folds: [Int: FoldState], total: Int, epochs: [Int: Int])
    /// The moving average of the weights was asked for, but the run keeps none.
    case noAverage(path: String)

    public var description: String {
        switch self {
        case .missingManifest(let path):
            "\(path): error: no run here (run.json is missing); train first with `netc train MODEL --out RUNDIR`"
        case .unreadableManifest(let path, let reason):
            "\(path): error: not a netc run manifest: \(reason)"
        case .modelChanged(let path):
            "\(path): error: the model file differs from the one this run was started with; resume with the same "
                + "model or start a new run folder"
        case .foldOutOfRange(let fold, let folds):
            "error: --fold \(fold) is out of range; this run has folds 1...\(folds)"
        case .noCheckpoints(let path):
            "\(path): error: no fold has a best checkpoint yet (fold-K/best.safetensors)"
        case .unfinishedFolds(let path, let folds, let total, let epochs):
            "\(path): error: \(folds.count) of \(total) folds are not finished: \(Self.list(folds, epochs: epochs)); "
                + "continue a fold with `netc train \(path)/model.swift-dsl --out \(path) --fold K --resume`, or "
                + "ensemble the others with --allow-missing-folds"
        case .noAverage(let path):
            "\(path): error: no moving average of the weights here; the run was trained without --ema-decay, so "
                + "use --fold-weights raw or best"
        }
    }

    /// `fold 2 (1 of 3 epochs done), fold 4 (not started)`, folds counted from 1; `epochs` gives each fold's
    /// epochs.
    public static func list(_ folds: [Int: FoldState], epochs: [Int: Int]) -> String {
        folds.sorted { $0.key < $1.key }
            .map { "fold \($0.key + 1) (\($0.value.described(epochs: epochs[$0.key] ?? 0)))" }
            .joined(separator: ", ")
    }
}
