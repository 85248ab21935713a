import Foundation
import Testing

@testable import NetcRuntime

@Suite struct SlurmJobsTests {
    static func jobs(folds: [Int] = [1, 2, 3], evaluates: Bool = true, allow: Bool = false) -> SlurmJobs {
        SlurmJobs(
            netc: "/opt/netc/bin/netc", folder: RunFolder("/scratch/my runs/cnn"), folds: folds,
            trainFlags: ["--backend", "jit"], testData: "/data/mnist", evaluates: evaluates, allowMissingFolds: allow,
            name: "netc-cnn", sbatchOptions: ["--partition=cpu", "--cpus-per-task=8"])
    }

    @Test(arguments: [
        ([1, 2, 3, 4, 5], "1-5"), ([2, 4, 5], "2,4-5"), ([3], "3"), ([5, 1, 2], "1-2,5"), ([1, 3, 5], "1,3,5"),
    ])
    func arrayIndicesAreTheFoldsAsRanges(folds: [Int], indices: String) {
        #expect(Self.jobs(folds: folds).arrayIndices == indices)
    }

    @Test(arguments: [
        ("plain/path-1.csv", "plain/path-1.csv"), ("my runs", "'my runs'"), ("it's", "'it'\\''s'"), ("", "''"),
        ("$HOME", "'$HOME'"),
    ])
    func shellQuotingKeepsEveryWordOneWord(text: String, quoted: String) throws {
        #expect(shellQuoted(text) == quoted)
        // And the shell reads it back as it was.
        let echo = Process()
        echo.executableURL = URL(fileURLWithPath: "/bin/sh")
        echo.arguments = ["-c", "printf %s \(quoted)"]
        let output = Pipe()
        echo.standardOutput = output
        try echo.run()
        echo.waitUntilExit()
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == text)
    }

    @Test func eachTaskExecsTrainOnItsFoldResumingAndTheEnsembleFollowsEveryTask() {
        let jobs = Self.jobs()
        #expect(
            jobs.trainingScript.contains(
                "\nexec /opt/netc/bin/netc train '/scratch/my runs/cnn/model.swift-dsl' --out '/scratch/my runs/cnn' "
                    + "--fold \"$SLURM_ARRAY_TASK_ID\" --resume --backend jit\n"))
        #expect(
            jobs.trainingArguments == [
                "--parsable", "--job-name=netc-cnn", "--array=1-3", "--requeue", "--open-mode=append",
                "--output=/scratch/my runs/cnn/slurm/train-%A_%a.out", "--partition=cpu", "--cpus-per-task=8",
                "/scratch/my runs/cnn/slurm/train.sbatch",
            ])
        #expect(jobs.ensembleArguments(after: "77").contains("--dependency=afterany:77"))
        #expect(jobs.ensembleArguments(after: "77").suffix(3) == [
            "--partition=cpu", "--cpus-per-task=8", "/scratch/my runs/cnn/slurm/ensemble.sbatch",
        ])
        let script = jobs.ensembleScript
        #expect(script.contains("\nset -e\n"))
        #expect(
            script.contains(
                "\n/opt/netc/bin/netc predict '/scratch/my runs/cnn' --data /data/mnist --out "
                    + "'/scratch/my runs/cnn/submission.csv'\n"))
        #expect(script.hasSuffix("\n/opt/netc/bin/netc evaluate '/scratch/my runs/cnn' --data /data/mnist\n"))
    }

    @Test func unlabelledTestImagesAreOnlyPredictedAndMissingFoldsAllowedWhenAsked() {
        let script = Self.jobs(evaluates: false, allow: true).ensembleScript
        #expect(!script.contains(" evaluate "))
        #expect(script.hasSuffix("/submission.csv' --allow-missing-folds\n"))
    }
}
