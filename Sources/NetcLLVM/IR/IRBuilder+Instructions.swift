internal import CLLVM

extension IRBuilder {
    // MARK: Arithmetic

    /// `lhs op rhs`; both operands have the same type, which is also the result's.
    func binary(_ operation: BinaryOperation, _ lhs: IRValue, _ rhs: IRValue, name: String = "") -> IRValue {
        IRValue(ref: LLVMBuildBinOp(ref, operation.opcode, lhs.ref, rhs.ref, name))
    }

    /// `-value` for a floating-point value.
    func floatNegate(_ value: IRValue, name: String = "") -> IRValue {
        IRValue(ref: LLVMBuildFNeg(ref, value.ref, name))
    }

    /// Compares `lhs` with `rhs`, giving an `i1`.
    func compare(_ comparison: Comparison, _ lhs: IRValue, _ rhs: IRValue, name: String = "") -> IRValue {
        switch comparison.predicate {
        case .integer(let predicate): IRValue(ref: LLVMBuildICmp(ref, predicate, lhs.ref, rhs.ref, name))
        case .float(let predicate): IRValue(ref: LLVMBuildFCmp(ref, predicate, lhs.ref, rhs.ref, name))
        }
    }

    /// `condition ? then : otherwise` without branching.
    func select(_ condition: IRValue, then: IRValue, else otherwise: IRValue, name: String = "") -> IRValue {
        IRValue(ref: LLVMBuildSelect(ref, condition.ref, then.ref, otherwise.ref, name))
    }

    /// Converts `value` to `type`.
    func convert(_ value: IRValue, _ conversion: Conversion, to type: IRType, name: String = "") -> IRValue {
        IRValue(ref: LLVMBuildCast(ref, conversion.opcode, value.ref, type.ref, name))
    }

    // MARK: Memory

    /// Reserves a `type` on the stack for the rest of the function (`alloca`); emit it in the entry block
    /// so the optimiser can promote it to registers.
    func allocate(_ type: IRType, name: String = "") -> IRValue {
        IRValue(ref: LLVMBuildAlloca(ref, type.ref, name))
    }

    /// The address of element `index` of the array of `element`s that starts at `base`
    /// (`getelementptr inbounds`).
    func elementPointer(_ element: IRType, base: IRValue, index: IRValue, name: String = "") -> IRValue {
        var indices: [LLVMValueRef?] = [index.ref]
        return IRValue(ref: LLVMBuildInBoundsGEP2(ref, element.ref, base.ref, &indices, 1, name))
    }

    /// Loads a `type` from `pointer`, which is a multiple of `alignment` bytes.
    func load(_ type: IRType, from pointer: IRValue, alignment: Int, name: String = "") -> IRValue {
        let load: LLVMValueRef = LLVMBuildLoad2(ref, type.ref, pointer.ref, name)
        LLVMSetAlignment(load, UInt32(alignment))
        return IRValue(ref: load)
    }

    /// Stores `value` to `pointer`, which is a multiple of `alignment` bytes. A non-temporal store (`!nontemporal`)
    /// bypasses the caches: `movnt` on x86, where the backend splits one it cannot prove aligned to its size into
    /// smaller non-temporal stores. They are weakly ordered, so a function that makes them ends with an `sfence`.
    func store(_ value: IRValue, to pointer: IRValue, alignment: Int, nontemporal: Bool = false) {
        let store = LLVMBuildStore(ref, value.ref, pointer.ref)
        LLVMSetAlignment(store, UInt32(alignment))
        guard nontemporal else { return }
        let context = LLVMGetTypeContext(LLVMTypeOf(value.ref))
        let kind = LLVMGetMDKindIDInContext(context, "nontemporal", 11)
        var one: LLVMMetadataRef? = LLVMValueAsMetadata(LLVMConstInt(LLVMInt32TypeInContext(context), 1, 0))
        LLVMSetMetadata(store, kind, LLVMMetadataAsValue(context, LLVMMDNodeInContext2(context, &one, 1)))
    }
}
