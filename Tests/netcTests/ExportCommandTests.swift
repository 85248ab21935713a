import Foundation
import NetcTestSupport
import Testing

/// `netc export` end to end: a short training run's ensemble and one of its folds, exported and run in ONNX
/// Runtime, give the logits `netc predict --logits` gives (within 1e-4) and the labels it writes.
@Suite struct ExportCommandTests {
    static let mnist = CommandLineTests.repository.appendingPathComponent("data/mnist")
    static let hasMNIST = FileManager.default.fileExists(atPath: mnist.appendingPathComponent("train.csv").path)

    @Test(
        .enabled(if: PythonEnvironment.runsONNXRuntimeTests, .init(rawValue: PythonEnvironment.skipReason)),
        .enabled(if: hasMNIST, "data/mnist is missing; run tools/fetch-mnist"))
    func exportedRunMatchesNetcPredictInONNXRuntime() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("netc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = directory.appendingPathComponent("run").path
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        // The first 300 training and 200 test images (a small file loads faster than --limit in a debug build).
        try Self.copyHead(of: "train.csv", rows: 300, to: path("train.csv"))
        try Self.copyHead(of: "test.csv", rows: 200, to: path("images.csv"))
        // Three epochs at a high learning rate: logits of several units, so that 1e-4 is a tight tolerance.
        let train = try CommandLineTests.netc([
            "train", "Examples/mnist-cnn.swift-dsl", "--data", path("train.csv"), "--out", run, "--epochs", "3",
            "--folds", "2", "--batch-size", "20", "--lr", "1e-2", "--no-augment", "--quiet",
        ])
        try #require(train.status == 0, "\(train.errors)")

        let models: [(name: String, export: [String], predict: [String])] = [
            ("ensemble", [run], [run]),
            ("fold 2", [run, "--fold", "2"], ["--weights", "\(run)/fold-2/best.safetensors", "--model", "\(run)/model.swift-dsl"]),
        ]
        for (name, exportArguments, predictArguments) in models {
            let export = try CommandLineTests.netc(["export"] + exportArguments + ["--onnx", path("model.onnx")])
            #expect(export.status == 0, "\(name): \(export.errors)")
            #expect(export.output.hasPrefix("wrote \(path("model.onnx")): "), "\(name): \(export.output)")
            let predict = try CommandLineTests.netc(
                ["predict"] + predictArguments + [
                    "--data", path("images.csv"), "--out", path("submission.csv"), "--logits", path("logits.csv"),
                ])
            try #require(predict.status == 0, "\(name): \(predict.errors)")
            let onnxRuntime = try PythonEnvironment.onnxLogits(
                model: path("model.onnx"), images: path("images.csv"), output: path("onnx.csv"))
            try #require(onnxRuntime.status == 0, "\(name): \(onnxRuntime.errors)")

            let expected = try LogitsTable(contentsOf: path("logits.csv"))
            let found = try LogitsTable(contentsOf: path("onnx.csv"))
            #expect(expected.rows.count == 200 && expected.rows.allSatisfy { $0.count == 10 })
            #expect(expected.rows.joined().contains { abs($0) > 2 }, "\(name): logits too small to test 1e-4")
            let difference = found.largestDifference(from: expected)
            #expect(difference <= 1e-4, "\(name): ONNX Runtime and netc predict differ by \(difference)")
            #expect(found.labels == (try Self.submissionLabels(path("submission.csv"))), "\(name)")
        }

        let outOfRange = try CommandLineTests.netc(["export", run, "--fold", "3", "--onnx", path("fold3.onnx")])
        #expect(outOfRange.status == 1)
        #expect(outOfRange.errors.contains("--fold 3 is out of range; this run has folds 1...2"), "\(outOfRange.errors)")
        #expect(!FileManager.default.fileExists(atPath: path("fold3.onnx")))
    }

    @Test func opsetOutsideTheSupportedRangeIsAUsageError() throws {
        let result = try CommandLineTests.netc(["export", "runs/none", "--onnx", "x.onnx", "--opset", "12"])
        #expect(result.status != 0)
        #expect(result.errors.contains("--opset must be 13-17, found 12"), "\(result.errors)")
    }

    /// Writes the header and first `rows` rows of an MNIST file to `path`.
    static func copyHead(of name: String, rows: Int, to path: String) throws {
        let file = try FileHandle(forReadingFrom: mnist.appendingPathComponent(name))
        defer { try? file.close() }
        // An MNIST row is at most 784 × 4 characters.
        let start = try file.read(upToCount: (rows + 1) * 784 * 4) ?? Data()
        let head = String(decoding: start, as: UTF8.self).split(separator: "\n", maxSplits: rows + 1).prefix(rows + 1)
        try (head.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The labels of a `ImageId,Label` submission.
    static func submissionLabels(_ path: String) throws -> [Int] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map {
            Int($0.split(separator: ",")[1]) ?? -1
        }
    }
}
