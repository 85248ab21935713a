import Foundation
import Testing

/// `Generated/mnist-cnn/mnist_cnn.S` is x86-64 ELF assembly in a target every `swift build` builds: preprocessed
/// by clang (as SwiftPM assembles a `.S` file) for another architecture or object format it must hold no code
/// (on ELF only the note that the stack is not executable), so the package builds on macOS and ARM, and for
/// x86-64 Linux it must be the code.
@Suite struct AssemblyGuardTests {
    @Test func theAssemblyIsCodeOnlyOnX8664Linux() throws {
        let path = GeneratedFiles.root.appendingPathComponent(GeneratedFiles.assemblyPath).path
        let stackNote = #".section ".note.GNU-stack","",%progbits"#
        let elsewhere = [
            "aarch64-unknown-linux-gnu": [stackNote], "arm64-apple-macos14": [], "x86_64-apple-macos14": [],
        ]
        for (triple, expected) in elsewhere {
            let statements = Self.statements(try Self.preprocessed(path, for: triple))
            #expect(
                statements == expected,
                "\(triple): \(statements.count) lines survive, the first \(statements.first ?? "")")
        }
        let host = try Self.preprocessed(path, for: "x86_64-unknown-linux-gnu")
        #expect(Self.statements(host).contains("mnist_cnn_forward:"), "x86-64 Linux gets no entry function")
    }

    /// The lines that are neither blank nor the preprocessor's `# LINE "FILE"` markers.
    static func statements(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// `clang -E` of the assembly file at `path` for `triple`: the Swift toolchain's clang, next to `swift` on PATH.
    static func preprocessed(_ path: String, for triple: String) throws -> String {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let clang = try #require(
            searchPath.split(separator: ":").map { "\($0)/clang" }.first(where: FileManager.default.isExecutableFile),
            "no clang on PATH (the Swift toolchain's is next to swift)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: clang)
        process.arguments = ["-E", "--target=\(triple)", "-x", "assembler-with-cpp", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "clang -E --target=\(triple) failed")
        return text
    }
}
