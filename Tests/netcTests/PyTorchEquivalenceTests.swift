import Foundation
import Testing

/// A python with torch, safetensors and numpy: `$NETC_PYTHON_ENV/bin/python` or the repository's `.venv`
/// (`tools/python-env torch safetensors numpy` makes one); nil when neither has them.
private let torchPython: String? = {
    let environment = ProcessInfo.processInfo.environment["NETC_PYTHON_ENV"]
    let candidates = [environment, CommandLineTests.repository.appendingPathComponent(".venv").path].compactMap { $0 }
    return candidates.map { "\($0)/bin/python" }.first { python in
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import torch, safetensors, numpy"]
        (process.standardOutput, process.standardError) = (FileHandle.nullDevice, FileHandle.nullDevice)
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}()

/// A checkpoint netc trained loads into the PyTorch module `netc compile --emit pytorch` writes, with
/// load_state_dict(strict=True), and gives the logits `netc predict` gives (tools/anchors/torch_equivalence.py,
/// within 1e-4 on 256 images): parameter names, shapes, layouts and every layer's meaning agree with PyTorch's.
/// Runs when torch is importable.
@Suite(.enabled(if: torchPython != nil, "needs a python with torch: tools/python-env torch safetensors numpy"))
struct PyTorchEquivalenceTests {
    @Test(arguments: ["Examples/resnet.swift-dsl", "Examples/mobilenet.swift-dsl"])
    func checkpointLoadsStrictlyWithTheSameLogits(model: String) throws {
        let python = try #require(torchPython)
        let data = try DataFixtures()
        try data.writeIDX(prefix: "train", count: 300, height: 28, width: 28)
        let images = try data.writeIDX(prefix: "t10k", count: 256, height: 28, width: 28)
        let run = data.file("run")
        // One short epoch moves the weights and the running statistics away from their initial values.
        let trained = try CommandLineTests.netc([
            "train", model, "--data", data.path, "--epochs", "1", "--fold", "1", "--no-augment", "--lr", "1e-3",
            "--out", run, "--quiet",
        ])
        #expect(trained.status == 0, "\(trained.errors)")
        let module = data.file("module.py")
        let emitted = try CommandLineTests.netc(["compile", model, "--emit", "pytorch", "-o", module])
        #expect(emitted.status == 0, "\(emitted.errors)")
        let checkpoint = "\(run)/fold-1/best.safetensors"
        let logits = data.file("logits.csv")
        let predicted = try CommandLineTests.netc([
            "predict", "--weights", checkpoint, "--model", model, "--data", images, "--logits", logits, "--out",
            data.file("predictions.csv"),
        ])
        #expect(predicted.status == 0, "\(predicted.errors)")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            CommandLineTests.repository.appendingPathComponent("tools/anchors/torch_equivalence.py").path, module,
            checkpoint, images, logits, "--images", "256", "--tolerance", "1e-4",
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(report)")
        #expect(report.contains(#""strict_load": true"#), "\(report)")
    }
}
