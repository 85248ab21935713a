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

/// Fails unless `description` starts with `path` followed by a location: `:LINE:COL:` or `: error:` with
/// one of the `markers` (a byte offset, a tensor name) in its message.
public func requireLocated(_ description: String, path: String, markers: [String] = []) {
    guard description.hasPrefix(path) else { fail("error does not name the file: \(description)") }
    let rest = description.dropFirst(path.count)
    let lineAndColumn = rest.split(separator: ":", maxSplits: 3)
    if lineAndColumn.count >= 3, Int(lineAndColumn[0]) != nil, Int(lineAndColumn[1]) != nil { return }
    guard markers.contains(where: { rest.contains($0) }) else { fail("error has no location: \(description)") }
}
