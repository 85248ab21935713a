import Foundation

/// The Python environment of `tools/python-env` (`NETC_PYTHON_ENV`, else `.venv/` in the repository), for tests
/// that check netc's output with ONNX Runtime.
///
/// Such tests run when the environment can import onnx, onnxruntime and numpy, and are skipped otherwise —
/// unless `NETC_REQUIRE_ONNXRUNTIME=1` (CI sets it), which makes a missing environment a failure.
public enum PythonEnvironment {
    /// The repository's root directory.
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The environment's `python`, when it imports onnx, onnxruntime and numpy.
    public static let python = python(importing: "onnx, onnxruntime, numpy")

    /// The environment's `python`, when it imports torch and torchvision (for checks against torchvision's
    /// transforms, which run only then).
    public static let torchvisionPython = python(importing: "torch, torchvision")

    /// The environment's `python` when it imports `modules` ("onnx, numpy"), else nil.
    private static func python(importing modules: String) -> URL? {
        let environment = ProcessInfo.processInfo.environment["NETC_PYTHON_ENV"].map(URL.init(fileURLWithPath:))
        let python = (environment ?? repository.appendingPathComponent(".venv"))
            .appendingPathComponent("bin/python")
        let check = try? TestProcess.run(python, ["-c", "import \(modules)"])
        return check?.status == 0 ? python : nil
    }

    /// Whether ONNX Runtime tests must run (and fail if they cannot).
    public static let isRequired = ProcessInfo.processInfo.environment["NETC_REQUIRE_ONNXRUNTIME"] == "1"

    /// Whether ONNX Runtime tests run.
    public static var runsONNXRuntimeTests: Bool { python != nil || isRequired }

    /// Why ONNX Runtime tests are skipped.
    public static let skipReason = "no Python environment with onnxruntime (run tools/python-env, or set NETC_PYTHON_ENV)"

    /// Runs `Tests/Python/onnx_logits.py` on `model` and the pixels CSV `images`, writing the logits CSV to
    /// `output`: onnx.checker must accept the model; the result's output is the script's JSON summary.
    public static func onnxLogits(model: String, images: String, output: String) throws -> TestProcess {
        guard let python else { throw PythonEnvironmentMissing() }
        let script = repository.appendingPathComponent("Tests/Python/onnx_logits.py").path
        return try TestProcess.run(python, [script, model, images, output])
    }
}

/// ONNX Runtime tests were required (`NETC_REQUIRE_ONNXRUNTIME=1`) but the environment is missing.
public struct PythonEnvironmentMissing: Error, CustomStringConvertible {
    public var description: String { "NETC_REQUIRE_ONNXRUNTIME=1 but " + PythonEnvironment.skipReason }
}
