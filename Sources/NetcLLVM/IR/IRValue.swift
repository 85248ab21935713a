internal import CLLVM

/// An LLVM value (argument, instruction, constant or function) of one `IRModule`; a view, valid while
/// that module lives.
struct IRValue {
    let ref: LLVMValueRef

    /// The value's type.
    var type: IRType { IRType(ref: LLVMTypeOf(ref)) }
}

/// A basic block of an `IRFunction`; a view, valid while its module lives.
struct IRBlock: Equatable {
    let ref: LLVMBasicBlockRef
}

extension IRModule {
    /// The integer constant `value` of integer type `type` (truncated to the type's width).
    func constant(_ value: Int, _ type: IRType) -> IRValue {
        IRValue(ref: LLVMConstInt(type.ref, UInt64(bitPattern: Int64(value)), 1))
    }

    /// The floating-point constant `value` of floating-point type `type` (rounded to its precision).
    func constant(_ value: Double, _ type: IRType) -> IRValue {
        IRValue(ref: LLVMConstReal(type.ref, value))
    }
}
