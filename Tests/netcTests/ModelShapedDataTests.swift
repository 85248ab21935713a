import Foundation
import Testing

/// The runtime follows the model: images of any shape and any number of classes train, predict and evaluate,
/// and data that does not fit the model is a located error before anything is written.
@Suite struct ModelShapedDataTests {
    typealias CLI = CommandLineTests

    /// `netc train` flags for a quick run on tiny data: fold 1 of 2, batches of 10.
    static let quickRun = ["--folds", "2", "--fold", "1", "--batch-size", "10", "--lr", "3e-3", "--quiet"]
    /// What `predict` and `evaluate` need to ensemble a quick run's one fold (fold 2 is unfinished).
    static let foldOneAlone = "--allow-missing-folds"

    @Test func anEightByEightModelTrainsOnA64ColumnCSVThenPredictsAndEvaluates() throws {
        let fixtures = try DataFixtures()
        try fixtures.writeCSV("train.csv", count: 200, height: 8, width: 8)
        try fixtures.writeCSV("test.csv", count: 50, height: 8, width: 8, labelled: false)
        try fixtures.writeLabelsCSV("test_labels.csv", count: 50)
        let run = fixtures.file("run")
        let train = try CLI.netc(
            ["train", "Examples/digits8.swift-dsl", "--data", fixtures.path, "--out", run, "--epochs", "2"]
                + Self.quickRun)
        #expect(train.status == 0, "\(train.errors)")
        let metrics = try String(contentsOfFile: "\(run)/fold-1/metrics.csv", encoding: .utf8)
        #expect(metrics.split(separator: "\n").count == 3, "\(metrics)")
        #expect(FileManager.default.fileExists(atPath: "\(run)/samples.svg"))

        let predict = try CLI.netc(
            ["predict", run, "--data", fixtures.file("test.csv"), "--out", fixtures.file("submission.csv"),
             Self.foldOneAlone])
        #expect(predict.status == 0, "\(predict.errors)")
        let submission = try String(contentsOfFile: fixtures.file("submission.csv"), encoding: .utf8)
        #expect(submission.split(separator: "\n").count == 51)
        // test_labels.csv beside test.csv gives the accuracy.
        #expect(predict.output.contains("accuracy "), "\(predict.output)")

        let evaluate = try CLI.netc(["evaluate", run, "--data", fixtures.path, Self.foldOneAlone])
        #expect(evaluate.status == 0, "\(evaluate.errors)")
        #expect(evaluate.output.contains("fold 1: accuracy "), "\(evaluate.output)")
        #expect(evaluate.output.contains("truth\\pred"))
        #expect(FileManager.default.fileExists(atPath: "\(run)/misclassified.svg"))
    }

    @Test func aColourSevenClassModelTrainsOnNumPyArchivesThenPredictsAndEvaluates() throws {
        let fixtures = try DataFixtures()
        try fixtures.writeNPZ("train.npz", count: 140, channels: 3, height: 13, width: 17, classes: 7)
        try fixtures.writeNPZ("test.npz", count: 35, channels: 3, height: 13, width: 17, classes: 7)
        let run = fixtures.file("run")
        let train = try CLI.netc(
            ["train", "Examples/colour-13x17.swift-dsl", "--data", fixtures.path, "--out", run, "--epochs", "2"]
                + Self.quickRun)
        #expect(train.status == 0, "\(train.errors)")
        // Float data is normalised per channel: three means and three standard deviations.
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(run)/run.json")))
        let normalization = (manifest as? [String: Any])?["normalization"] as? [String: Any]
        #expect((normalization?["mean"] as? [Double])?.count == 3, "\(String(describing: normalization))")
        #expect((normalization?["std"] as? [Double])?.count == 3)

        let predict = try CLI.netc(
            ["predict", run, "--data", fixtures.file("test.npz"), "--out", fixtures.file("s.csv"), Self.foldOneAlone])
        #expect(predict.status == 0, "\(predict.errors)")
        #expect(predict.output.contains("accuracy "), "y in the archive gives the accuracy: \(predict.output)")
        let evaluate = try CLI.netc(["evaluate", run, "--data", fixtures.path, Self.foldOneAlone])
        #expect(evaluate.status == 0, "\(evaluate.errors)")
        let confusion = evaluate.output.split(separator: "\n").first { $0.hasPrefix("truth\\pred") }
        #expect(confusion?.split(separator: " ").count == 9, "7 class columns and acc: \(evaluate.output)")
    }

    @Test func theReferenceNetworkTrainsOnGzipIDXFilesInAFolderThenPredictsAndEvaluatesWithClassNames() throws {
        // The layout of Fashion-MNIST and the original MNIST: train-* and t10k-* files, gzip-compressed.
        let fixtures = try DataFixtures()
        try fixtures.writeIDX(prefix: "train", count: 60, height: 28, width: 28, gzip: true)
        try fixtures.writeIDX(prefix: "t10k", count: 20, height: 28, width: 28, gzip: true)
        let run = fixtures.file("run")
        let train = try CLI.netc(
            [
                "train", "Examples/fashion-mnist.swift-dsl", "--data", fixtures.path, "--out", run, "--epochs", "1",
                "--horizontal-flip",
            ] + Self.quickRun)
        #expect(train.status == 0, "\(train.errors)")
        let manifest = try String(contentsOfFile: "\(run)/run.json", encoding: .utf8)
        #expect(manifest.contains("train-images-idx3-ubyte.gz"), "\(manifest)")
        #expect(manifest.contains(#""horizontalFlipProbability" : 0.5"#), "\(manifest)")
        #expect(try String(contentsOfFile: "\(run)/samples.svg", encoding: .utf8).contains(">Ankle boot<"))

        let predict = try CLI.netc(
            ["predict", run, "--data", fixtures.path, "--out", fixtures.file("submission.csv"), Self.foldOneAlone])
        #expect(predict.status == 0, "\(predict.errors)")
        #expect(predict.output.contains("accuracy "), "the labels beside the test images give the accuracy")
        let evaluate = try CLI.netc(
            ["evaluate", run, "--data", fixtures.file("t10k-images-idx3-ubyte.gz"), Self.foldOneAlone])
        #expect(evaluate.status == 0, "\(evaluate.errors)")
        #expect(evaluate.output.contains("ensemble of 1 (logits): accuracy "), "\(evaluate.output)")
        #expect(
            evaluate.output.contains(" 9 Ankle boot "), "the model's class names label the rows: \(evaluate.output)")
    }

    @Test func augmentationFlagsAreCheckedBeforeAnythingIsRead() throws {
        let fixtures = try DataFixtures()
        for (flag, value, message) in [
            ("--perspective", "1", "--perspective must be at least 0 and below 1, found 1.0"),
            ("--rotation", "-3", "--rotation must be within 0.0...180.0, found -3.0"),
            ("--scale", "1.2,0.8", "The value '1.2,0.8' is invalid for '--scale <scale>'"),
        ] {
            let result = try CLI.netc([
                "train", "Examples/digits8.swift-dsl", "--out", fixtures.file("run"), "\(flag)=\(value)",
            ])
            #expect(result.status != 0)
            #expect(result.errors.contains(message), "\(result.errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: fixtures.file("run")))
    }

    /// A mistake in the data and the start of the error it must give.
    struct Mismatch: CustomTestStringConvertible, Sendable {
        let name: String
        let model: String
        let write: @Sendable (DataFixtures) throws -> String
        let error: @Sendable (_ data: String) -> String
        var testDescription: String { name }
    }

    static let mismatches: [Mismatch] = [
        Mismatch(
            name: "64 pixel columns for a 28×28 model", model: "Examples/small-cnn.swift-dsl",
            write: { try $0.writeCSV("train.csv", count: 30, height: 8, width: 8) },
            error: {
                "\($0):1:1: error: the header has 64 pixel columns, but Examples/small-cnn.swift-dsl expects 1×28×28 "
                    + "images (channels×height×width): 784 columns pixel0...pixel783, channel by channel"
            }),
        Mismatch(
            name: "a label beyond the model's classes", model: "Examples/colour-13x17.swift-dsl",
            write: { try $0.writeCSV("train.csv", count: 30, channels: 3, height: 13, width: 17, classes: 10) },
            error: {
                "\($0):9:1: error: label 7 is not a class of Examples/colour-13x17.swift-dsl, which has 7 (labels 0-6)"
            }),
        Mismatch(
            name: "an IDX label beyond the model's classes", model: "Examples/colour-13x17.swift-dsl",
            write: { fixtures in
                try fixtures.writeIDX(prefix: "train", count: 20, channels: 3, height: 13, width: 17, classes: 10)
                return fixtures.file("train-labels-idx1-ubyte")
            },
            error: {  // image 7's label, after the 8-byte header
                "\($0): error: label 7 is not a class of Examples/colour-13x17.swift-dsl, which has 7 (labels 0-6) "
                    + "(at byte 15)"
            }),
        Mismatch(
            name: "a NumPy label beyond the model's classes", model: "Examples/colour-13x17.swift-dsl",
            write: { try $0.writeNPZ("train.npz", count: 20, channels: 3, height: 13, width: 17, classes: 10) },
            error: {  // image 7's int64 label, after y.npy's 128-byte header
                "\($0): error: label 7 is not a class of Examples/colour-13x17.swift-dsl, which has 7 (labels 0-6) "
                    + "(at byte 184 of y.npy)"
            }),
        Mismatch(
            name: "28×28 IDX images for an 8×8 model", model: "Examples/digits8.swift-dsl",
            write: { try $0.writeIDX(prefix: "train", count: 20, height: 28, width: 28) },
            error: {
                "\($0): error: Examples/digits8.swift-dsl expects 1×8×8 images (channels×height×width), this file holds 1×28×28"
            }),
        Mismatch(
            name: "three-channel IDX images for a one-channel model", model: "Examples/digits8.swift-dsl",
            write: { try $0.writeIDX(prefix: "train", count: 20, channels: 3, height: 8, width: 8) },
            error: {
                "\($0): error: Examples/digits8.swift-dsl expects 1×8×8 images (channels×height×width), this file holds 3×8×8"
            }),
        Mismatch(
            name: "one-channel NumPy images for a colour model", model: "Examples/colour-13x17.swift-dsl",
            write: { try $0.writeNPZ("train.npz", count: 20, channels: 1, height: 13, width: 17, classes: 7) },
            error: {
                "\($0): error: Examples/colour-13x17.swift-dsl expects 3×13×17 images (channels×height×width), this "
                    + "file holds 1×13×17"
            }),
        Mismatch(
            name: "float64 NumPy images", model: "Examples/digits8.swift-dsl",
            write: { fixtures in
                let x = NumPyArchive.npy(
                    descr: "<f8", shape: [2, 8, 8], data: [UInt8](repeating: 0, count: 2 * 64 * 8))
                return try fixtures.write("train.npz", bytes: NumPyArchive.zip([("x.npy", x)]))
            },
            error: {
                "\($0): error: x has dtype '<f8' (float64); netc reads x as uint8 or float32 (x.astype(np.float32)) "
                    + "(at byte 10 of x.npy)"
            }),
        Mismatch(
            name: "unlabelled training data", model: "Examples/digits8.swift-dsl",
            write: { try $0.writeCSV("train.csv", count: 30, height: 8, width: 8, labelled: false) },
            error: { "\($0): error: the data holds no labels, which training needs" }),
    ]

    @Test(arguments: mismatches)
    func dataThatDoesNotFitTheModelIsALocatedErrorAndNoRunIsCreated(_ mismatch: Mismatch) throws {
        let fixtures = try DataFixtures()
        let data = try mismatch.write(fixtures)
        let run = fixtures.file("run")
        let result = try CLI.netc(["train", mismatch.model, "--data", fixtures.path, "--out", run] + Self.quickRun)
        #expect(result.status == 1)
        #expect(result.errors.hasPrefix(mismatch.error(data)), "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: run), "the run folder was created")
    }

    @Test func resumingARunWhoseDataNoLongerFitsTheModelLeavesTheRunAsItWas() throws {
        let fixtures = try DataFixtures()
        let data = try fixtures.writeCSV("train.csv", count: 40, height: 8, width: 8)
        let run = fixtures.file("run")
        let train = try CLI.netc(
            ["train", "Examples/digits8.swift-dsl", "--data", data, "--out", run, "--epochs", "1"] + Self.quickRun)
        #expect(train.status == 0, "\(train.errors)")
        let before = try Self.contents(of: run)
        try fixtures.writeCSV("train.csv", count: 40, height: 28, width: 28)  // the recorded data, now 28×28

        let resume = try CLI.netc(["train", "Examples/digits8.swift-dsl", "--out", run, "--resume", "--fold", "2"])
        #expect(resume.status == 1)
        #expect(
            resume.errors.hasPrefix(
                "\(data):1:1: error: the header has 784 pixel columns, but Examples/digits8.swift-dsl expects 1×8×8"),
            "\(resume.errors)")
        #expect(try Self.contents(of: run) == before, "the run folder changed")
    }

    /// Every file under `folder`, by relative path, with its bytes.
    static func contents(of folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: folder) {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: "\(folder)/\(name)", isDirectory: &isFolder),
                !isFolder.boolValue
            else { continue }
            files[name] = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)"))
        }
        return files
    }

    @Test func predictAndEvaluateCheckTheirDataBeforeWritingAnything() throws {
        let fixtures = try DataFixtures()
        try fixtures.writeCSV("train.csv", count: 40, height: 8, width: 8)
        let run = fixtures.file("run")
        let train = try CLI.netc(
            ["train", "Examples/digits8.swift-dsl", "--data", fixtures.path, "--out", run, "--epochs", "1"]
                + Self.quickRun)
        #expect(train.status == 0, "\(train.errors)")
        let wrong = try fixtures.writeCSV("test.csv", count: 10, height: 28, width: 28, labelled: false)
        let before = try FileManager.default.contentsOfDirectory(atPath: run).sorted()

        let predict = try CLI.netc(["predict", run, "--data", wrong, "--out", fixtures.file("submission.csv")])
        #expect(predict.status == 1)
        #expect(
            predict.errors.hasPrefix(
                "\(wrong):1:1: error: the header has 784 pixel columns, but \(run)/model.swift-dsl expects 1×8×8"),
            "\(predict.errors)")
        #expect(!FileManager.default.fileExists(atPath: fixtures.file("submission.csv")))

        let evaluate = try CLI.netc(["evaluate", run, "--data", wrong])
        #expect(evaluate.status == 1)
        #expect(evaluate.errors.hasPrefix("\(wrong):1:1: error: "), "\(evaluate.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: run).sorted() == before)
    }
}
