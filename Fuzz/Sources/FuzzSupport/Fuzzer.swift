import CLibFuzzer

#if canImport(Glibc)
    import Glibc
#endif

/// Runs libFuzzer on the process's command line with `LLVMFuzzerTestOneInput`, which the program defines.
///
/// Swift executables name their entry point after their module, so libFuzzer's own `main` cannot be used.
public func runFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}

/// Runs `test` on the input libFuzzer passes to `LLVMFuzzerTestOneInput`, and returns that function's result.
///
/// `test` must return normally for every input a parser accepts or rejects with a good error; it calls
/// ``fail(_:)`` for a rejection without a location, and libFuzzer and AddressSanitizer catch any crash, hang
/// or runaway allocation.
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int, _ test: ([UInt8]) -> Void) -> CInt {
    test(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// Stops the run with `message`, so libFuzzer saves the input as a finding.
public func fail(_ message: String) -> Never {
    print("fuzz finding: \(message)")
    fflush(nil)
    abort()
}

/// Fails unless `description` reads `PATH:LINE:COL: error: ...` for a `line` and `column` that lie inside
/// `bytes`, the input the reader was given, as `numbering` counts them.
public func requireInside(
    _ description: String, path: String, line: Int, column: Int, of bytes: [UInt8], numbering: TextNumbering
) {
    guard description.hasPrefix("\(path):\(line):\(column): error: ") else {
        fail("error does not start with its file, line and column: \(description)")
    }
    guard numbering.byteOffset(line: line, column: column, in: bytes) != nil else {
        fail("line \(line), column \(column) lies outside the \(bytes.count)-byte input: \(description)")
    }
}

/// Fails unless `description` reads `PATH: error: ... (at byte OFFSET)` for an `offset` that lies inside a file
/// of `size` bytes (its end included: an error about missing bytes points there).
public func requireInside(_ description: String, path: String, byteOffset offset: Int, size: Int) {
    guard description.hasPrefix("\(path): error: "), description.hasSuffix(" (at byte \(offset))") else {
        fail("error does not name the file and the byte: \(description)")
    }
    guard (0...size).contains(offset) else {
        fail("byte \(offset) lies outside the \(size)-byte input: \(description)")
    }
}
