import Foundation

/// Where the command line writes: results to standard output, diagnostics to standard error.
enum Terminal {
    /// Whether standard error is a terminal (so colours are welcome).
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Writes text to standard error, adding a final newline if it has none.
    static func printError(_ text: String) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Writes text to a file atomically (a temporary file, then a rename), or to standard output for `-`/nil.
    static func write(_ text: String, to path: String?) throws {
        guard let path, path != "-" else {
            print(text, terminator: "")
            return
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
