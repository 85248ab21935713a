internal import CLLVM

extension IRBuilder {
    // MARK: Vectors

    /// `vector` with element `index` replaced by `scalar`.
    func insertElement(_ scalar: IRValue, into vector: IRValue, at index: IRValue, name: String = "") -> IRValue {
        IRValue(ref: LLVMBuildInsertElement(ref, vector.ref, scalar.ref, index.ref, name))
    }

    /// Element `index` of `vector`.
    func extractElement(_ index: IRValue, of vector: IRValue, name: String = "") -> IRValue {
        IRValue(ref: LLVMBuildExtractElement(ref, vector.ref, index.ref, name))
    }

    /// The elements of `first` and `second` picked by the constant vector `mask` (indices into their concatenation).
    func shuffle(_ first: IRValue, _ second: IRValue, mask: IRValue, name: String = "") -> IRValue {
        IRValue(ref: LLVMBuildShuffleVector(ref, first.ref, second.ref, mask.ref, name))
    }
}

extension IRModule {
    /// An undefined value of `type`: the start of a vector built element by element.
    func undefined(_ type: IRType) -> IRValue {
        IRValue(ref: LLVMGetUndef(type.ref))
    }

    /// The constant vector of `elements` (constants of one type).
    func constantVector(_ elements: [IRValue]) -> IRValue {
        var refs: [LLVMValueRef?] = elements.map(\.ref)
        return IRValue(ref: LLVMConstVector(&refs, UInt32(refs.count)))
    }
}
