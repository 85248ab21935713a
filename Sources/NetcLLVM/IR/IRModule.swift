internal import CLLVM

/// An LLVM IR module: the unit netc verifies, optimises, emits as assembly or an object file, and hands
/// to a `JITSession`.
///
/// A module owns its LLVM context (an ORC thread-safe context) as well as the module itself, so it can
/// move into a JIT whole; it is `~Copyable` because exactly one owner may dispose of or give away those
/// handles. The types, values, functions, blocks and builders made for a module are views into it and
/// must not be used once the module has been consumed or destroyed.
public struct IRModule: ~Copyable {
    /// The ORC context that owns the module's `LLVMContext`; shared with the JIT once the module moves there.
    let threadSafeContext: LLVMOrcThreadSafeContextRef
    /// The module itself, owned by this value until `takeThreadSafeModule()`.
    let ref: LLVMModuleRef

    /// Creates an empty module named `name` in a fresh context of its own.
    init(name: String) {
        threadSafeContext = LLVMOrcCreateNewThreadSafeContext()
        ref = LLVMModuleCreateWithNameInContext(name, LLVMOrcThreadSafeContextGetContext(threadSafeContext))
    }

    deinit {
        // The module must go before the context that holds its types and constants.
        LLVMDisposeModule(ref)
        LLVMOrcDisposeThreadSafeContext(threadSafeContext)
    }

    /// The `LLVMContext` that every type and constant of this module must come from.
    var context: LLVMContextRef {
        LLVMOrcThreadSafeContextGetContext(threadSafeContext)
    }

    /// The module's name (its LLVM module identifier).
    public var name: String {
        var length = 0
        guard let identifier = LLVMGetModuleIdentifier(ref, &length) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: identifier, count: length), as: UTF8.self)
    }

    /// The module as LLVM assembly text (`.ll`), as `llvm-dis` or `opt -S` would print it.
    public var text: String {
        takeMessage(LLVMPrintModuleToString(ref))
    }

    /// Checks that the module is well-formed IR.
    ///
    /// Throws an `LLVMError` of stage `.verification` carrying the verifier's report, which names the
    /// offending function and instruction.
    public func verify() throws(LLVMError) {
        var message: UnsafeMutablePointer<CChar>?
        let isBroken = LLVMVerifyModule(ref, LLVMReturnStatusAction, &message) != 0
        let report = takeMessage(message)
        if isBroken {
            throw LLVMError(stage: .verification, message: report)
        }
    }

    /// Gives the module and its context to ORC as one thread-safe module, ending this value's ownership.
    ///
    /// The caller owns the result and must pass it to a consuming ORC call or dispose of it.
    consuming func takeThreadSafeModule() -> LLVMOrcThreadSafeModuleRef {
        let module: LLVMOrcThreadSafeModuleRef = LLVMOrcCreateNewThreadSafeModule(ref, threadSafeContext)
        // The thread-safe module now holds its own share of the context; ours is no longer needed.
        LLVMOrcDisposeThreadSafeContext(threadSafeContext)
        discard self
        return module
    }
}
