import Foundation
import Testing

/// `netc evaluate RUN --out-of-fold --logits FILE` writes every training image's scores from the fold model that held
/// it out, checked against each fold model's own scores of the whole training set (`netc predict --weights`).
@Suite struct OutOfFoldLogitsTests {
    typealias CLI = CommandLineTests

    @Test func everyTrainingImageIsScoredOnceByTheFoldThatHeldItOut() throws {
        let fixtures = try DataFixtures()
        try fixtures.writeCSV("train.csv", count: 90, height: 8, width: 8)
        let run = fixtures.file("run")
        let train = try CLI.netc([
            "train", "Examples/digits8.swift-dsl", "--data", fixtures.file("train.csv"), "--out", run, "--folds", "3",
            "--epochs", "1", "--batch-size", "10", "--lr", "3e-3", "--quiet",
        ])
        #expect(train.status == 0, "\(train.errors)")
        let evaluate = try CLI.netc([
            "evaluate", run, "--out-of-fold", "--logits", fixtures.file("oof.csv"),
        ])
        #expect(evaluate.status == 0, "\(evaluate.errors)")
        let rows = try CommandsEndToEndTests.csvRows(fixtures.file("oof.csv"))
        #expect(rows.first == ["ImageId"] + (0..<10).map { "logit\($0)" })
        #expect(rows.dropFirst().map { $0[0] } == (1...90).map(String.init), "one row per training image, in order")
        let scores = rows.dropFirst().map { $0.dropFirst().compactMap(Double.init) }

        // Each fold model's scores of all 90 images; an image's out-of-fold row is one fold's, and each fold's
        // model scores exactly its held-out third.
        var foldScores: [[[Double]]] = []
        for fold in 1...3 {
            let predict = try CLI.netc([
                "predict", "--weights", "\(run)/fold-\(fold)/best.safetensors", "--model", "\(run)/model.swift-dsl",
                "--data", fixtures.file("train.csv"), "--out", fixtures.file("fold.csv"),
                "--logits", fixtures.file("fold-logits.csv"),
            ])
            #expect(predict.status == 0, "fold \(fold): \(predict.errors)")
            foldScores.append(
                try CommandsEndToEndTests.csvRows(fixtures.file("fold-logits.csv")).dropFirst().map {
                    $0.dropFirst().compactMap(Double.init)
                })
        }
        func agree(_ lhs: [Double], _ rhs: [Double]) -> Bool {
            lhs.count == 10 && rhs.count == 10 && zip(lhs, rhs).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }
        }
        var heldOut = [0, 0, 0]
        for (image, row) in scores.enumerated() {
            let folds = (0..<3).filter { agree(row, foldScores[$0][image]) }
            #expect(folds.count == 1, "image \(image + 1): its scores are one fold model's")
            if let fold = folds.first { heldOut[fold] += 1 }
        }
        #expect(heldOut == [30, 30, 30], "each fold holds out a third")

        // The accuracy `evaluate` prints is that of these scores against the training labels.
        let labels = try CommandsEndToEndTests.csvRows(fixtures.file("train.csv")).dropFirst().compactMap { Int($0[0]) }
        let correct = zip(scores, labels).count { row, label in row.indices.max { row[$0] < row[$1] } == label }
        let accuracy = String(format: "%.2f%%", Double(correct) / 90 * 100)
        #expect(evaluate.output.contains("out of fold: accuracy \(accuracy) on 90 images"), "\(evaluate.output)")
    }

    @Test func logitsWithoutOutOfFoldIsAnError() throws {
        let evaluate = try CLI.netc(["evaluate", "runs/none", "--logits", "scores.csv"])
        #expect(evaluate.status != 0)
        #expect(evaluate.errors.contains("--logits writes held-out scores with --out-of-fold"), "\(evaluate.errors)")
    }
}
