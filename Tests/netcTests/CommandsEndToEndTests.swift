import Foundation
import Testing

/// `netc check`, `bench`, `predict` and `evaluate` run end to end on a small model and tiny data, their reports
/// checked against what the test works out on its own: the interpreter's predictions, accuracies and confusion
/// matrices counted from the submission and the true labels.
@Suite struct CommandsEndToEndTests {
    typealias CLI = CommandLineTests

    /// The parameters of `Examples/digits8.swift-dsl` and its BatchNorm layers.
    static let parameters = ["features.0", "features.2", "features.4", "features.6", "2"].flatMap {
        ["\($0).weight", "\($0).bias"]
    }
    static let batchNorms = ["features.2", "features.6"]

    @Test func checkComparesEveryTensorOfInferenceAndATrainingStep() throws {
        let check = try CLI.netc(["check", "Examples/digits8.swift-dsl", "--batch-size", "3"])
        #expect(check.status == 0, "\(check.errors)")
        let lines = check.output.split(separator: "\n").map(String.init)
        // The rows lie between the column header and the verdict.
        let header = try #require(lines.firstIndex { $0.hasPrefix("tensor ") }, "\(check.output)")
        let rows = lines[(header + 1)...].dropLast().map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(lines.last == "all \(rows.count) tensors agree", "\(check.output)")
        #expect(rows.allSatisfy { $0.last == "OK" }, "\(check.output)")
        let names = Set(rows.compactMap(\.first).map(String.init))
        let expected =
            ["logits", "loss"] + Self.parameters.flatMap { [$0, "\($0).grad", "\($0).exp_avg", "\($0).exp_avg_sq"] }
            + Self.batchNorms.flatMap { ["\($0).running_mean", "\($0).running_var", "\($0).num_batches_tracked"] }
        #expect(names.isSuperset(of: expected), "missing: \(Set(expected).subtracting(names))")
        #expect(lines.contains { $0.hasPrefix("inference logits ") })
        // The layer column names each tensor's layer.
        #expect(rows.contains { $0.first == "features.4.weight.exp_avg" && $0[1] == "features.4" })
    }

    @Test func benchReportsSpeedCompileTimesAndAProfileThatAddsUp() throws {
        let bench = try CLI.netc([
            "bench", "Examples/digits8.swift-dsl", "--batch", "8", "--inference-batch", "16", "--steps", "3",
            "--threads", "2",
        ])
        #expect(bench.status == 0, "\(bench.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(bench.output.utf8)) as? [String: Any])
        #expect(
            report["batch"] as? Int == 8 && report["inference_batch"] as? Int == 16 && report["threads"] as? Int == 2)
        let training = try #require(report["training_images_per_second"] as? [String: Double])
        let compile = try #require(report["compile_seconds"] as? [String: Double])
        let speeds = [
            training["step"], training["pipeline"], training["batch_assembly"],
            report["inference_images_per_second"] as? Double,
        ]
        #expect(speeds.allSatisfy { ($0 ?? 0) > 0 && ($0 ?? 0).isFinite }, "\(report)")
        #expect(compile.values.count == 2 && compile.values.allSatisfy { $0 > 0 })
        for key in ["profile", "inference_profile"] {
            let profile = try #require(report[key] as? [[String: Any]])
            let shares = profile.compactMap { $0["share"] as? Double }
            #expect(shares.count == profile.count && abs(shares.reduce(0, +) - 1) < 1e-9, "\(key): \(shares)")
            #expect(profile.allSatisfy { ($0["milliseconds"] as? Double ?? 0) > 0 }, "\(key)")
            #expect(
                Set(profile.compactMap { $0["kernel"] as? String }).count == profile.count, "\(key): one row per kernel"
            )
        }
        #expect(
            (report["profile"] as? [Any])?.count == report["kernels"] as? Int, "every kernel of the step is profiled")
    }

    /// Two folds trained for an epoch predict 50 images with the JIT and with the interpreter alike, their logits
    /// the mean of each fold's own (`--weights`); `evaluate`'s accuracies, confusion matrix and mistake count are
    /// those of the predictions against the true labels.
    @Test func predictAndEvaluateAgreeWithTheInterpreterAndTheTrueLabels() throws {
        let fixtures = try DataFixtures()
        try fixtures.writeCSV("train.csv", count: 120, height: 8, width: 8)
        try fixtures.writeCSV("test.csv", count: 50, height: 8, width: 8, labelled: false)
        let labelsPath = try fixtures.writeLabelsCSV("test_labels.csv", count: 50)
        let run = fixtures.file("run")
        let train = try CLI.netc([
            "train", "Examples/digits8.swift-dsl", "--data", fixtures.file("train.csv"), "--out", run, "--folds", "2",
            "--epochs", "1", "--batch-size", "10", "--lr", "3e-3", "--quiet",
        ])
        #expect(train.status == 0, "\(train.errors)")

        var submissions: [[Int]] = []
        var scores: [[[Double]]] = []
        for backend in ["jit", "interpreter"] {
            let predict = try CLI.netc([
                "predict", run, "--data", fixtures.file("test.csv"), "--backend", backend,
                "--out", fixtures.file("\(backend).csv"), "--logits", fixtures.file("\(backend)-logits.csv"),
            ])
            #expect(predict.status == 0, "\(backend): \(predict.errors)")
            let rows = try Self.csvRows(fixtures.file("\(backend).csv"))
            #expect(rows.first == ["ImageId", "Label"])
            #expect(rows.dropFirst().map { $0[0] } == (1...50).map(String.init), "ImageId counts from 1")
            submissions.append(rows.dropFirst().compactMap { Int($0[1]) })
            scores.append(
                try Self.csvRows(fixtures.file("\(backend)-logits.csv")).dropFirst().map {
                    $0.dropFirst().compactMap(Double.init)
                })
        }
        let (predictions, truth) = (submissions[0], try Self.csvRows(labelsPath).dropFirst().compactMap { Int($0[1]) })
        #expect(predictions.count == 50 && truth.count == 50)
        for (image, (jit, interpreter)) in zip(scores[0], scores[1]).enumerated() {
            #expect(
                jit.count == 10 && zip(jit, interpreter).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($1)) },
                "image \(image + 1)")
            let label = jit.indices.max { jit[$0] < jit[$1] }
            #expect(label == predictions[image], "the label is the highest score, image \(image + 1)")
        }
        #expect(predictions == submissions[1], "JIT and interpreter predict the same labels")
        var foldPredictions: [[Int]] = []
        var foldLogits: [[[Double]]] = []
        for fold in 1...2 {
            let predict = try CLI.netc([
                "predict", "--weights", "\(run)/fold-\(fold)/best.safetensors", "--model", "\(run)/model.swift-dsl",
                "--data", fixtures.file("test.csv"), "--out", fixtures.file("fold.csv"),
                "--logits", fixtures.file("fold-logits.csv"),
            ])
            #expect(predict.status == 0, "fold \(fold): \(predict.errors)")
            foldPredictions.append(try Self.csvRows(fixtures.file("fold.csv")).dropFirst().compactMap { Int($0[1]) })
            foldLogits.append(
                try Self.csvRows(fixtures.file("fold-logits.csv")).dropFirst().map {
                    $0.dropFirst().compactMap(Double.init)
                })
        }
        for (image, ensemble) in scores[0].enumerated() {
            let mean = zip(foldLogits[0][image], foldLogits[1][image]).map { ($0 + $1) / 2 }
            #expect(zip(ensemble, mean).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }, "image \(image + 1)")
        }

        let evaluate = try CLI.netc(["evaluate", run, "--data", fixtures.file("test.csv"), "--labels", labelsPath])
        #expect(evaluate.status == 0, "\(evaluate.errors)")
        let correct = zip(predictions, truth).count { $0 == $1 }
        let accuracy = String(format: "%.2f%%", Double(correct) / 50 * 100)
        #expect(evaluate.output.contains("ensemble of 2 (logits): accuracy \(accuracy)\n"), "\(evaluate.output)")
        for (fold, predicted) in foldPredictions.enumerated() {
            let accuracy = String(format: "%.2f%%", Double(zip(predicted, truth).count { $0 == $1 }) / 50 * 100)
            #expect(evaluate.output.contains("fold \(fold + 1): accuracy \(accuracy)\n"), "\(evaluate.output)")
        }
        #expect(evaluate.output.contains(" \(50 - correct) misclassified images"), "\(evaluate.output)")
        let lines = evaluate.output.split(separator: "\n")
        let table = try #require(lines.firstIndex { $0.hasPrefix("truth\\pred") })
        for label in 0..<10 {
            let cells = lines[table + 1 + label].split(separator: " ")
            let expected = (0..<10).map { predicted in zip(predictions, truth).count { $0 == (predicted, label) } }
            #expect(cells.first == "\(label)" && cells.dropFirst().prefix(10).compactMap { Int($0) } == expected)
        }
        // Every percentage is written one way: two decimals.
        let percentages = evaluate.output.split(whereSeparator: \.isWhitespace).filter { $0.hasSuffix("%") }
        #expect(percentages.count == 3 + 10, "three accuracies and one per class")
        #expect(
            percentages.allSatisfy { $0.wholeMatch(of: /(nan|\d{1,3}\.\d\d)%/) != nil }, "\(percentages)")
    }

    /// The comma-separated fields of each line of the file at `path`.
    static func csvRows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }
}
