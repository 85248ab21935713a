import Foundation
import NetcTestSupport
import Testing

/// The `netc` executable as users run it: output, diagnostics and exit status.
@Suite struct CommandLineTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs the `netc` built next to this test bundle.
    static func netc(_ arguments: [String], in directory: URL = repository) throws -> TestProcess {
        try TestProcess.run(Bundle.main.bundleURL.appendingPathComponent("netc"), arguments, in: directory)
    }

    static func temporaryModel(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netc-\(UUID().uuidString).swift-dsl")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func compileSummarisesTheReferenceNetwork() throws {
        let result = try Self.netc(["compile", "Examples/mnist-cnn.swift-dsl"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("trainable parameters: 140,778"))
        #expect(
            result.output.contains("conv1.3  Conv2D(32, kernel: 3, stride: 2, padding: 1)  [32, 14, 14]       9,248"))
        #expect(result.output.contains("fc.0     Linear(10)"))
    }

    @Test func tuneCachesSchedulesThatCompilationThenUses() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("netc-\(UUID().uuidString)/s.json")
        defer { try? FileManager.default.removeItem(at: cache.deletingLastPathComponent()) }
        let tune = try Self.netc([
            "tune", "Examples/small-cnn.swift-dsl", "--batch-size", "4", "--inference-batch", "4",
            "--schedule-cache", cache.path,
        ])
        #expect(tune.status == 0, "\(tune.errors)")
        #expect(tune.output.contains("schedules written to \(cache.path)"), "\(tune.output)")
        let text = try String(contentsOf: cache, encoding: .utf8)
        #expect(text.contains("conv2d"))
        let compile = try Self.netc([
            "compile", "Examples/small-cnn.swift-dsl", "--batch-size", "4", "--schedule-cache", cache.path,
        ])
        #expect(compile.status == 0, "\(compile.errors)")
        // 2 forward convolutions, 1 input and 1 weight gradient (the first convolution's weight gradient is summed
        // by its BatchNorm's gradient pass), and the linear layer's 3.
        #expect(
            compile.output.contains("convolution and linear kernels of the training step: 7 of 7 tuned"),
            "\(compile.output)")
    }

    /// Training on the JIT with no schedules tuned for this CPU says so on standard error, with the command that
    /// tunes them; once the cache holds this CPU's schedules, or with `--schedule-cache none`, it says nothing.
    @Test func trainingWithoutTunedSchedulesSaysHowToTuneThem() throws {
        let fixtures = try DataFixtures()
        try fixtures.writeCSV("train.csv", count: 40, height: 8, width: 8)
        let cache = fixtures.file("schedules.json")
        func train(_ run: String, cache: String) throws -> TestProcess {
            let result = try Self.netc([
                "train", "Examples/digits8.swift-dsl", "--data", fixtures.file("train.csv"), "--out",
                fixtures.file(run), "--folds", "2", "--epochs", "1", "--batch-size", "10", "--quiet",
                "--schedule-cache", cache,
            ])
            #expect(result.status == 0, "\(result.errors)")
            return result
        }
        let untuned = try train("run1", cache: cache)
        #expect(untuned.errors.contains("\(cache) holds no schedules for this CPU"), "\(untuned.errors)")
        #expect(untuned.errors.contains("`netc tune Examples/digits8.swift-dsl`"), "\(untuned.errors)")
        #expect(try train("run2", cache: "none").errors.isEmpty)
        let tune = try Self.netc([
            "tune", "Examples/digits8.swift-dsl", "--batch-size", "10", "--inference-batch", "10", "--schedule-cache",
            cache,
        ])
        #expect(tune.status == 0, "\(tune.errors)")
        let tuned = try train("run3", cache: cache)
        #expect(!tuned.errors.contains("holds no schedules"), "\(tuned.errors)")
    }

    /// Schedules tuned before the lowering's last change (here: entries without a generation, as every cache written
    /// before there were generations) are not used, and training says why and how to tune again.
    @Test func schedulesTunedByAnEarlierNetcAreNotUsed() throws {
        let fixtures = try DataFixtures()
        try fixtures.writeCSV("train.csv", count: 40, height: 8, width: 8)
        let cache = fixtures.file("schedules.json")
        let tune = try Self.netc([
            "tune", "Examples/digits8.swift-dsl", "--batch-size", "10", "--inference-batch", "10", "--schedule-cache",
            cache,
        ])
        #expect(tune.status == 0, "\(tune.errors)")
        let url = URL(fileURLWithPath: cache)
        var file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let entries = try #require(file["entries"] as? [[String: Any]])
        #expect(!entries.isEmpty && entries.allSatisfy { $0["generation"] != nil })
        file["entries"] = entries.map { $0.filter { $0.key != "generation" } }
        try JSONSerialization.data(withJSONObject: file).write(to: url)

        let compile = try Self.netc([
            "compile", "Examples/digits8.swift-dsl", "--batch-size", "10", "--schedule-cache", cache,
        ])
        #expect(compile.status == 0, "\(compile.errors)")
        #expect(compile.output.contains("kernels of the training step: 0 of"), "\(compile.output)")
        let train = try Self.netc([
            "train", "Examples/digits8.swift-dsl", "--data", fixtures.file("train.csv"), "--out", fixtures.file("run"),
            "--folds", "2", "--epochs", "1", "--batch-size", "10", "--quiet", "--schedule-cache", cache,
        ])
        #expect(train.status == 0, "\(train.errors)")
        #expect(
            train.errors.contains("\(cache) holds only schedules tuned by an earlier netc (\(entries.count),"),
            "\(train.errors)")
    }

    @Test func aCorruptScheduleCacheIsAnErrorNamingIt() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("netc-\(UUID().uuidString).json")
        try Data("{ not json".utf8).write(to: cache)
        defer { try? FileManager.default.removeItem(at: cache) }
        let result = try Self.netc(["compile", "Examples/small-cnn.swift-dsl", "--schedule-cache", cache.path])
        #expect(result.status == 1)
        #expect(
            result.errors.contains("\(cache.path): error: the schedule cache is not a schedule cache"),
            "\(result.errors)")
    }

    @Test func everyNamedTargetCompilesAheadOfTime() throws {
        for target in ["haswell", "skylake-avx512", "icelake-server", "znver3", "znver4", "native"] {
            let result = try Self.netc(["compile", "Examples/small-cnn.swift-dsl", "--emit", "asm", "--target", target])
            #expect(result.status == 0, "\(target): \(result.errors)")
            #expect(result.output.contains("vfmadd"), "\(target)")
        }
        let unknown = try Self.netc(["compile", "Examples/small-cnn.swift-dsl", "--target", "pentium"])
        #expect(unknown.status != 0)
        #expect(unknown.errors.contains("haswell"), "\(unknown.errors)")
    }

    @Test func unknownLayerIsALocatedErrorWithACaretAndNothingElse() throws {
        let model = try Self.temporaryModel(
            """
            Network("bad", input: Image(channels: 1, height: 28, width: 28), classes: 10) {
                Flatten()
                BatchNom()
                Linear(10)
            }
            """)
        defer { try? FileManager.default.removeItem(at: model) }
        let result = try Self.netc(["compile", model.path])
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(
            result.errors.hasPrefix("\(model.path):3:5: error: unknown layer 'BatchNom'; did you mean 'BatchNorm'?"))
        #expect(result.errors.contains("3 |     BatchNom()"))
        #expect(result.errors.contains("  |     `- error:"))
    }

    @Test func shapeErrorNamesTheLayerAndShapes() throws {
        let model = try Self.temporaryModel(
            """
            Network("bad", input: Image(channels: 1, height: 28, width: 28), classes: 10) {
                Sequential("fc") {
                    Linear(10)
                }
            }
            """)
        defer { try? FileManager.default.removeItem(at: model) }
        let result = try Self.netc(["compile", model.path])
        #expect(result.status == 1)
        #expect(
            result.errors.hasPrefix(
                "\(model.path):3:9: error: layer 'fc.0': Linear needs a flattened [N, features] input, found "
                    + "[N, 1, 28, 28]; add Flatten() before it"))
    }

    @Test func trainingGraphShowsTheOptimizer() throws {
        let result = try Self.netc(["compile", "Examples/small-cnn.swift-dsl", "--emit", "graph", "--training"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("adamUpdate"))
        #expect(result.output.contains("update: features.0.weight ← "))
    }

    /// `netc check` compiles the step the flags describe: AdamW (a decay whose shrink the tolerance sees), label
    /// smoothing and the weights' average, which adds a second step (where the average moves) and the pass that
    /// recomputes BatchNorm statistics for the averaged weights.
    @Test func checkComparesTheTrainingFeaturesStep() throws {
        let result = try Self.netc([
            "check", "Examples/small-cnn.swift-dsl", "--optimizer", "adamw", "--weight-decay", "0.5",
            "--label-smoothing", "0.1", "--ema-decay", "0.9",
        ])
        #expect(result.status == 0, "\(result.output)\n\(result.errors)")
        #expect(result.output.contains("training step: adamw (weight decay 0.5), label smoothing 0.1, EMA decay 0.9"))
        let rows = [
            "features.0.weight.ema ", "step 2 features.0.weight.ema ", "step 2 loss ", "statistics features.2.moments ",
        ]
        for row in rows {
            #expect(result.output.contains("\n" + row), "no row \(row)")
        }
        #expect(result.output.contains("tensors agree"))
    }

    @Test func missingDataIsAnErrorNamingThePath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("netc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Self.netc([
            "train", "Examples/small-cnn.swift-dsl", "--data", "/nonexistent/train.csv", "--out", directory.path,
        ])
        #expect(result.status == 1)
        #expect(result.errors.hasPrefix("/nonexistent/train.csv: error: "), "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("run.json").path))
    }

    @Test func helpListsEverySubcommand() throws {
        let result = try Self.netc(["--help"])
        for command in ["compile", "check", "train", "submit", "predict", "evaluate", "bench"] {
            #expect(result.output.contains("  \(command) "), "help does not list \(command)")
        }
    }
}

/// The general-network examples compile with their joins in the table.
@Suite struct GeneralExampleTests {
    @Test func resnetSummaryShowsItsJoins() throws {
        let result = try CommandLineTests.netc(["compile", "Examples/resnet.swift-dsl"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("trainable parameters: 308,074"))
        #expect(result.output.contains(#"res2             Residual("res2")"#))
        #expect(result.output.contains("res2.shortcut.0  Conv2D(64, kernel: 1, stride: 2, bias: false)"))
    }

    @Test func mobilenetEmitsItsPyTorchModule() throws {
        let result = try CommandLineTests.netc(["compile", "Examples/mobilenet.swift-dsl", "--emit", "pytorch"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("nn.Conv2d(32, 32, 3, stride=2, padding=1, groups=32, bias=False)"))
        #expect(result.output.contains("def build():"))
    }
}
