import Foundation

/// LLVM 14's command-line tools, used as independent judges of what the wrapper produces.
enum LLVMTools {
    static let directory = "/usr/lib/llvm-14/bin"

    /// True when every tool in `names` is installed.
    static func areInstalled(_ names: String...) -> Bool {
        names.allSatisfy { FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }
    }

    /// Runs `name` with `arguments`; returns the exit status and everything written to standard output
    /// and standard error.
    static func run(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(directory)/\(name)")
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
