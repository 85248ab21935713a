import Foundation

/// A K-fold run as Slurm jobs: an array job whose task K trains fold K, and an ensembling job that starts once
/// every task of the array has ended.
///
/// Each task runs `netc train --fold K --resume` on a run folder prepared beforehand (`run.json`, normalisation,
/// fold folders), so tasks never race to create it, and a task that is requeued (preemption, `scontrol requeue`, a
/// node failure) or submitted again goes on from the fold's last checkpoint. The task `exec`s netc, so the SIGTERM
/// Slurm sends before it kills a job reaches netc itself, which saves the epoch so far and exits within a batch.
///
/// The ensembling job depends on the array with `afterany`, not `afterok`: with `afterok` a failed fold would leave it
/// pending for ever (`DependencyNeverSatisfied`) and no job would say which fold failed. It runs `netc predict`
/// (and `netc evaluate` when the test images have labels), which fails naming every fold that did not finish,
/// unless `allowMissingFolds`.
public struct SlurmJobs: Sendable {
    /// The netc executable the jobs run: an absolute path that the compute nodes see.
    public var netc: String
    /// The run folder, as an absolute path.
    public var folder: RunFolder
    /// The folds to train (1-based).
    public var folds: [Int]
    /// Flags added to every task's `netc train` (`--backend`, `--check-numerics`).
    public var trainFlags: [String]
    /// The images the ensemble predicts (absolute path).
    public var testData: String
    /// Whether the ensembling job also runs `netc evaluate` (the test images have labels).
    public var evaluates: Bool
    /// Whether the ensemble goes ahead without the folds that did not finish.
    public var allowMissingFolds: Bool
    /// The jobs' name (`netc-MODEL`); the ensembling job's gets `-ensemble`.
    public var name: String
    /// The user's own `sbatch` options (partition, time, CPUs, account, ...), given last so that they win.
    public var sbatchOptions: [String]

    /// Describes the jobs of a run; nothing is written or submitted.
    public init(
        netc: String, folder: RunFolder, folds: [Int], trainFlags: [String], testData: String, evaluates: Bool,
        allowMissingFolds: Bool, name: String, sbatchOptions: [String]
    ) {
        self.netc = netc
        self.folder = folder
        self.folds = folds
        self.trainFlags = trainFlags
        self.testData = testData
        self.evaluates = evaluates
        self.allowMissingFolds = allowMissingFolds
        self.name = name
        self.sbatchOptions = sbatchOptions
    }

    /// Where the job scripts and logs go: `RUN/slurm`.
    public var directory: String { "\(folder.path)/slurm" }
    /// The array job's script.
    public var trainingScriptPath: String { "\(directory)/train.sbatch" }
    /// The ensembling job's script.
    public var ensembleScriptPath: String { "\(directory)/ensemble.sbatch" }
    /// Where the ensemble's submission is written.
    public var submission: String { "\(folder.path)/submission.csv" }

    /// The array job's script: one fold per task, resumed from its last checkpoint.
    public var trainingScript: String {
        let command =
            [netc, "train", folder.model, "--out", folder.path].map(shellQuoted).joined(separator: " ")
            + " --fold \"$SLURM_ARRAY_TASK_ID\" --resume" + trainFlags.map { " " + shellQuoted($0) }.joined()
        return """
            #!/bin/bash
            # Written by `netc submit`: task K of the array trains fold K of the run in \(folder.path),
            # going on from the fold's last checkpoint, so a requeued task loses at most the batch it was in.
            # netc is exec'd so that Slurm's SIGTERM reaches it; its threads follow --cpus-per-task.
            echo "netc: fold $SLURM_ARRAY_TASK_ID, job ${SLURM_ARRAY_JOB_ID}_$SLURM_ARRAY_TASK_ID, start \
            $((${SLURM_RESTART_COUNT:-0} + 1)) on $(hostname), ${SLURM_CPUS_PER_TASK:-all} CPUs, $(date -Is)"
            exec \(command)

            """
    }

    /// The ensembling job's script: predict (and evaluate), failing on a fold that did not finish.
    public var ensembleScript: String {
        let allow = allowMissingFolds ? " --allow-missing-folds" : ""
        let predict = [netc, "predict", folder.path, "--data", testData, "--out", submission].map(shellQuoted)
        let evaluate = [netc, "evaluate", folder.path, "--data", testData].map(shellQuoted)
        return """
            #!/bin/bash
            # Written by `netc submit`: once every fold task has ended, ensembles the folds of \(folder.path);
            # fails naming any fold that did not finish.
            set -e
            echo "netc: ensemble of \(folder.path), job $SLURM_JOB_ID on $(hostname), $(date -Is)"
            \(predict.joined(separator: " "))\(allow)

            """ + (evaluates ? evaluate.joined(separator: " ") + allow + "\n" : "")
    }

    /// `sbatch` arguments for the array job.
    public var trainingArguments: [String] {
        [
            "--parsable", "--job-name=\(name)", "--array=\(arrayIndices)", "--requeue", "--open-mode=append",
            "--output=\(directory)/train-%A_%a.out",
        ] + sbatchOptions + [trainingScriptPath]
    }

    /// `sbatch` arguments for the ensembling job, once the array job is `arrayJob`.
    public func ensembleArguments(after arrayJob: String) -> [String] {
        [
            "--parsable", "--job-name=\(name)-ensemble", "--dependency=afterany:\(arrayJob)",
            "--output=\(directory)/ensemble-%j.out",
        ] + sbatchOptions + [ensembleScriptPath]
    }

    /// The array's task indices, the folds: `1-5`, or `2,4-5` for the folds left to train.
    public var arrayIndices: String {
        var parts: [String] = []
        var index = 0
        let sorted = folds.sorted()
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count && sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index])-\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}

/// `text` as one word for a POSIX shell: as it is when it holds only safe characters, else in single quotes.
public func shellQuoted(_ text: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%")
    if !text.isEmpty && text.allSatisfy(safe.contains) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
