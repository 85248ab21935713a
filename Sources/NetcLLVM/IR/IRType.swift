internal import CLLVM

/// An LLVM type of one `IRModule`'s context; a view, valid while that module lives.
struct IRType: Equatable {
    let ref: LLVMTypeRef

    /// A fixed-width vector of `count` elements of this type, e.g. `<16 x float>`.
    func vector(_ count: Int) -> IRType {
        IRType(ref: LLVMVectorType(ref, UInt32(count)))
    }
}

extension IRModule {
    /// `void`, for functions that return nothing.
    var voidType: IRType { IRType(ref: LLVMVoidTypeInContext(context)) }
    /// `i1`, the type of comparisons and branch conditions.
    var boolType: IRType { IRType(ref: LLVMInt1TypeInContext(context)) }
    /// `i32`.
    var int32Type: IRType { IRType(ref: LLVMInt32TypeInContext(context)) }
    /// `i64`, the type netc uses for indices and trip counts.
    var int64Type: IRType { IRType(ref: LLVMInt64TypeInContext(context)) }
    /// `float`, netc's tensor element type.
    var floatType: IRType { IRType(ref: LLVMFloatTypeInContext(context)) }
    /// `double`.
    var doubleType: IRType { IRType(ref: LLVMDoubleTypeInContext(context)) }

    /// `iN` for any width `bits`.
    func integerType(bits: Int) -> IRType {
        IRType(ref: LLVMIntTypeInContext(context, UInt32(bits)))
    }

    /// A pointer to `pointee` in address space 0 (LLVM 14 pointers are typed: `float*`).
    func pointerType(to pointee: IRType) -> IRType {
        IRType(ref: LLVMPointerType(pointee.ref, 0))
    }

    /// A fixed-width vector of `count` elements of `element`, e.g. `<8 x float>`.
    func vectorType(of element: IRType, count: Int) -> IRType {
        IRType(ref: LLVMVectorType(element.ref, UInt32(count)))
    }

    /// The type of a function taking `parameters` and returning `result` (never variadic).
    func functionType(returning result: IRType, parameters: [IRType]) -> IRType {
        var parameterRefs: [LLVMTypeRef?] = parameters.map(\.ref)
        return IRType(ref: LLVMFunctionType(result.ref, &parameterRefs, UInt32(parameterRefs.count), 0))
    }
}
