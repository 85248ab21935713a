internal import CLLVM

/// Appends instructions to the blocks of one `IRModule`, wrapping `LLVMBuilderRef`.
///
/// The builder owns its LLVM handle (hence `~Copyable`) but not the module: it must not outlive the
/// module it was made for. Instruction names are only for reading the printed IR; LLVM makes them unique.
struct IRBuilder: ~Copyable {
    let ref: LLVMBuilderRef

    /// Makes a builder for `module`, not yet positioned in any block.
    init(for module: borrowing IRModule) {
        ref = LLVMCreateBuilderInContext(module.context)
    }

    deinit {
        LLVMDisposeBuilder(ref)
    }

    /// Makes the end of `block` the place where the next instruction goes.
    func position(atEndOf block: IRBlock) {
        LLVMPositionBuilderAtEnd(ref, block.ref)
    }

    /// The block instructions currently go to, or nil before the first `position(atEndOf:)`.
    var currentBlock: IRBlock? {
        LLVMGetInsertBlock(ref).map(IRBlock.init(ref:))
    }

    // MARK: Control flow

    /// Ends the current block with a jump to `destination`.
    func branch(to destination: IRBlock) {
        LLVMBuildBr(ref, destination.ref)
    }

    /// Ends the current block with a jump to `then` when the `i1` `condition` holds, else to `otherwise`.
    func branch(if condition: IRValue, then: IRBlock, else otherwise: IRBlock) {
        LLVMBuildCondBr(ref, condition.ref, then.ref, otherwise.ref)
    }

    /// Ends the current block by returning `value`.
    func `return`(_ value: IRValue) {
        LLVMBuildRet(ref, value.ref)
    }

    /// Ends the current block by returning from a `void` function.
    func returnVoid() {
        LLVMBuildRetVoid(ref)
    }

    /// A `phi` of `type`, whose incoming values are added with `addIncoming(_:to:)` once known.
    func phi(_ type: IRType, name: String) -> IRValue {
        IRValue(ref: LLVMBuildPhi(ref, type.ref, name))
    }

    /// Records that `phi` takes `value` when control arrives from `block`.
    func addIncoming(_ incoming: [(value: IRValue, block: IRBlock)], to phi: IRValue) {
        var values: [LLVMValueRef?] = incoming.map(\.value.ref)
        var blocks: [LLVMBasicBlockRef?] = incoming.map(\.block.ref)
        LLVMAddIncoming(phi.ref, &values, &blocks, UInt32(incoming.count))
    }

    /// Calls `function` with `arguments`, returning its result (meaningless for `void` functions).
    @discardableResult
    func call(_ function: IRFunction, _ arguments: [IRValue], name: String = "") -> IRValue {
        var argumentRefs: [LLVMValueRef?] = arguments.map(\.ref)
        let call: LLVMValueRef = LLVMBuildCall2(
            ref, function.type.ref, function.ref, &argumentRefs, UInt32(argumentRefs.count), name)
        return IRValue(ref: call)
    }
}
