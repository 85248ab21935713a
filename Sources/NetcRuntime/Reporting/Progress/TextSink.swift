import Foundation

/// Where a ``ProgressReporter`` writes its text: standard output for the CLI, a string buffer in tests.
///
/// Text is passed on exactly as produced, newlines and terminal escape codes included, unbuffered.
public struct TextSink {
    /// Receives each piece of output.
    public let write: (String) -> Void

    /// A sink that hands every piece of output to `write`.
    public init(_ write: @escaping (String) -> Void) {
        self.write = write
    }

    /// The process's standard output, written through immediately so live bars redraw.
    public static var standardOutput: TextSink {
        TextSink { FileHandle.standardOutput.write(Data($0.utf8)) }
    }

    /// The process's standard error.
    public static var standardError: TextSink {
        TextSink { FileHandle.standardError.write(Data($0.utf8)) }
    }
}
