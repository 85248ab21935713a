import Foundation
import Testing

/// `predict` and `evaluate` on a run whose folds are not all finished: an error naming each such fold (a Slurm
/// ensembling job must fail rather than ensemble fewer folds), unless `--allow-missing-folds`.
@Suite struct UnfinishedFoldsTests {
    typealias CLI = CommandLineTests

    @Test func ensemblingARunWithUnfinishedFoldsNamesThemAndFails() throws {
        let fixtures = try DataFixtures()
        try fixtures.writeCSV("train.csv", count: 60, height: 8, width: 8)
        try fixtures.writeCSV("test.csv", count: 10, height: 8, width: 8, labelled: false)
        try fixtures.writeLabelsCSV("test_labels.csv", count: 10)
        let run = fixtures.file("run")
        let train = ["train", "Examples/digits8.swift-dsl", "--data", fixtures.path, "--out", run, "--folds", "3",
            "--batch-size", "10", "--quiet"]
        // Fold 1 finishes 2 epochs; fold 2 stops after 1 (a run of 1 epoch resumed into one of 2 cannot be had
        // from the command line, so its last checkpoint is taken from a 1-epoch run); fold 3 never starts.
        #expect(try CLI.netc(train + ["--epochs", "2", "--fold", "1"]).status == 0)
        let short = fixtures.file("short")
        #expect(try CLI.netc(train.map { $0 == run ? short : $0 } + ["--epochs", "1", "--fold", "2"]).status == 0)
        for file in ["best.safetensors", "last.safetensors", "metrics.csv"] {
            try FileManager.default.copyItem(atPath: "\(short)/fold-2/\(file)", toPath: "\(run)/fold-2/\(file)")
        }

        let expected =
            "\(run): error: 2 of 3 folds are not finished: fold 2 (1 of 2 epochs done), fold 3 (not started); "
            + "continue a fold with `netc train \(run)/model.swift-dsl --out \(run) --fold K --resume`, or ensemble the "
            + "others with --allow-missing-folds\n"
        let submission = fixtures.file("submission.csv")
        let predict = try CLI.netc(["predict", run, "--data", fixtures.path, "--out", submission])
        #expect(predict.status == 1)
        #expect(predict.errors == expected)
        #expect(!FileManager.default.fileExists(atPath: submission))
        let evaluate = try CLI.netc(["evaluate", run, "--data", fixtures.path])
        #expect(evaluate.status == 1)
        #expect(evaluate.errors == expected)

        let allowed = try CLI.netc(["predict", run, "--data", fixtures.path, "--out", submission, "--allow-missing-folds"])
        #expect(allowed.status == 0, "\(allowed.errors)")
        #expect(allowed.errors.contains("warning: ensembling every fold with a best checkpoint (--allow-missing-folds)"))
        #expect(allowed.output.contains("from 2 model(s)"), "\(allowed.output)")
    }
}
