internal import CLLVM

/// The kind of file a `TargetMachine` emits.
public enum OutputFormat: Sendable {
    /// Assembly text (`.s`).
    case assembly
    /// A relocatable object file (`.o`, ELF on Linux).
    case object

    var fileType: LLVMCodeGenFileType {
        switch self {
        case .assembly: LLVMAssemblyFile
        case .object: LLVMObjectFile
        }
    }
}

extension TargetMachine {
    /// Compiles `module` to assembly or an object file and returns the file's bytes.
    ///
    /// Code generation may rewrite the module's IR in place while preparing it (it also sets the data
    /// layout), so emit after any printing that should show the IR as built. Throws an `LLVMError` of
    /// stage `.emission` when LLVM cannot compile the module.
    public func emit(_ module: borrowing IRModule, as format: OutputFormat) throws(LLVMError) -> [UInt8] {
        var message: UnsafeMutablePointer<CChar>?
        var buffer: LLVMMemoryBufferRef?
        let failed = LLVMTargetMachineEmitToMemoryBuffer(ref, module.ref, format.fileType, &message, &buffer) != 0
        let report = takeMessage(message)
        guard !failed, let buffer else {
            throw LLVMError(stage: .emission, message: report)
        }
        defer { LLVMDisposeMemoryBuffer(buffer) }
        let bytes = UnsafeRawBufferPointer(start: LLVMGetBufferStart(buffer), count: LLVMGetBufferSize(buffer))
        return Array(bytes)
    }

    /// Compiles `module` to assembly or an object file written at `path`, replacing any file there.
    ///
    /// The same caveat as `emit(_:as:)` applies; throws an `LLVMError` of stage `.emission` naming the
    /// path and carrying LLVM's reason when compiling or writing fails (e.g. the directory does not exist).
    public func write(_ module: borrowing IRModule, as format: OutputFormat, to path: String) throws(LLVMError) {
        var message: UnsafeMutablePointer<CChar>?
        // The C API takes a mutable `char *` it never writes to.
        var pathBytes = Array(path.utf8CString)
        let failed = pathBytes.withUnsafeMutableBufferPointer { path in
            LLVMTargetMachineEmitToFile(ref, module.ref, path.baseAddress, format.fileType, &message) != 0
        }
        let report = takeMessage(message)
        if failed {
            throw LLVMError.cannotWrite(path, reason: report)
        }
    }
}
