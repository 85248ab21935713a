import Foundation
import Testing

/// LLVM 14's command-line tools, used as independent judges of what the wrapper produces.
///
/// They are prerequisites like LLVM's library (`tools/install-prerequisites` installs them), so a test that needs
/// one fails when it is missing instead of being skipped.
enum LLVMTools {
    /// Where Debian's LLVM 14 packages put the tools, or `bin` of `NETC_LLVM_PREFIX` (as in Package.swift).
    static let directory = (ProcessInfo.processInfo.environment["NETC_LLVM_PREFIX"] ?? "/usr/lib/llvm-14") + "/bin"

    /// Runs `name` with `arguments`; returns the exit status and everything written to standard output
    /// and standard error.
    static func run(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let path = "\(directory)/\(name)"
        try #require(
            FileManager.default.isExecutableFile(atPath: path),
            "LLVM 14's \(name) is not at \(path); tools/install-prerequisites installs it")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// Writes `text` to a fresh temporary file named after `name` and returns its path.
    static func temporaryFile(_ name: String, containing text: String) throws -> String {
        let path = temporaryPath(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A fresh path in the temporary directory for a file named after `name`.
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("netc-llvm-\(UUID().uuidString)-\(name)").path
    }
}
