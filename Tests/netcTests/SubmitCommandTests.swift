import Foundation
import Testing

/// `netc submit` without a cluster: what it would submit, and a clear error before anything is written when there is
/// no Slurm. (tools/slurm-test submits to a live Slurm.)
@Suite struct SubmitCommandTests {
    typealias CLI = CommandLineTests

    @Test func dryRunShowsBothJobsAndWritesNothing() throws {
        let fixtures = try DataFixtures()
        try fixtures.writeCSV("train.csv", count: 40, height: 8, width: 8)
        try fixtures.writeCSV("test.csv", count: 10, height: 8, width: 8, labelled: false)
        let run = fixtures.file("run")
        let result = try CLI.netc(
            ["submit", "Examples/digits8.swift-dsl", "--data", fixtures.path, "--out", run, "--folds", "4", "--dry-run",
             "--", "--time=1:00:00"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("--fold \"$SLURM_ARRAY_TASK_ID\" --resume --backend jit\n"), "\(result.output)")
        #expect(result.output.contains("sbatch --parsable --job-name=netc-digits8 --array=1-4 --requeue"))
        #expect(result.output.contains("--dependency=afterany:ARRAY_JOB_ID"))
        #expect(result.output.contains(" --time=1:00:00 \(run)/slurm/train.sbatch\n"))
        // No labels beside the test images: predict only.
        #expect(result.output.contains(" predict \(run) --data \(fixtures.path) --out \(run)/submission.csv\n"))
        #expect(!result.output.contains(" evaluate "))
        #expect(!FileManager.default.fileExists(atPath: run))
    }

    @Test func withoutSbatchItIsAnErrorBeforeAnythingIsWritten() throws {
        let fixtures = try DataFixtures()
        try fixtures.writeCSV("train.csv", count: 40, height: 8, width: 8)
        let run = fixtures.file("run")
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("netc")
        process.arguments = ["submit", "Examples/digits8.swift-dsl", "--data", fixtures.path, "--out", run]
        process.currentDirectoryURL = CLI.repository
        process.environment = ["PATH": fixtures.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(
            String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                == "error: sbatch is not on PATH; run netc submit on a Slurm login node (--dry-run shows the jobs it "
                + "would submit)\n")
        #expect(!FileManager.default.fileExists(atPath: run))
    }
}
