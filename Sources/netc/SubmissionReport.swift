import Foundation
import NetcRuntime

/// What `netc submit` does with the jobs it described: writes their scripts and submits them, saying how to watch
/// them, or with `--dry-run` only shows them.
enum SubmissionReport {
    /// Writes the two scripts into `RUN/slurm/`, submits the array job and then the ensembling job after it, and
    /// prints their ids and the commands to follow them.
    static func submit(_ jobs: SlurmJobs) throws {
        try FileManager.default.createDirectory(atPath: jobs.directory, withIntermediateDirectories: true)
        let scripts = [(jobs.trainingScript, jobs.trainingScriptPath), (jobs.ensembleScript, jobs.ensembleScriptPath)]
        for (script, path) in scripts {
            try AtomicFile.write(Array(script.utf8), to: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        var ensemble = ""
        let array = try Sbatch.submit(jobs.trainingArguments)
        do {
            ensemble = try Sbatch.submit(jobs.ensembleArguments(after: array))
        } catch {
            Terminal.printError("submitted the fold tasks as job \(array), but not the ensemble:")
            throw error
        }
        print(
            """
            submitted job \(array): an array of one task per fold, tasks \(array)_[\(jobs.arrayIndices)]
            submitted job \(ensemble): the ensemble, once every fold task has ended (afterany:\(array))
            follow them:
              squeue -j \(array),\(ensemble)
              sacct -j \(array),\(ensemble) --format=JobID,JobName,State,Elapsed,ExitCode
              tail -f \(jobs.directory)/train-\(array)_\(jobs.folds[0]).out
            when job \(ensemble) is done: \(jobs.submission) and \(jobs.directory)/ensemble-\(ensemble).out
            """)
    }

    /// Prints the scripts and the sbatch command lines that `submit` would write and run.
    static func printDryRun(_ jobs: SlurmJobs) {
        print("# \(jobs.trainingScriptPath)")
        print(jobs.trainingScript)
        print("# \(jobs.ensembleScriptPath)")
        print(jobs.ensembleScript)
        print("sbatch " + jobs.trainingArguments.map(shellQuoted).joined(separator: " "))
        print("sbatch " + jobs.ensembleArguments(after: "ARRAY_JOB_ID").map(shellQuoted).joined(separator: " "))
    }
}
