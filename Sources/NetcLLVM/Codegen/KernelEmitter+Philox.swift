extension KernelEmitter {
    /// Emits Philox4x32-10 inline, exactly as `Philox.block` computes it (32-bit lanes, each `mulhi` the top
    /// half of a 64-bit product, ten rounds with the Weyl key schedule), and returns word 0 for counter
    /// (index, stream, step low, step high) under `key`, zero-extended to `i64`. `key`, `step` and `index` are
    /// `i64`, or with `lanes` vectors of that many `i64`, one counter per lane.
    ///
    /// Each 32-bit word stays in the low half of a 64-bit value, so every product is one unsigned 32×32→64
    /// multiply (`vpmuludq` for vectors), its high word a shift and its low word a mask, and no instruction moves
    /// data between lanes: narrowing vectors to 32-bit lanes between rounds made LLVM pack and unpack them each
    /// time. A key the same in every lane, the usual case, has its schedule computed once: LLVM folds operations
    /// on a splat into one scalar operation.
    func philoxWord(
        key: IRValue, step: IRValue, stream: UInt32, index: IRValue, lanes: Int? = nil,
        in module: borrowing IRModule
    )
        -> IRValue
    {
        func constant(_ value: Int) -> IRValue {
            let scalar = module.constant(value, types.int64)
            guard let lanes else { return scalar }
            return module.constantVector(Array(repeating: scalar, count: lanes))
        }
        let lowMask = constant(0xFFFF_FFFF)
        func low(_ value: IRValue) -> IRValue { builder.binary(.and, value, lowMask) }
        func high(_ value: IRValue) -> IRValue { builder.binary(.logicalShiftRight, value, constant(32)) }
        func multiply(_ word: IRValue, by factor: UInt32) -> IRValue {
            builder.binary(.multiply, word, constant(Int(factor)))
        }
        var (c0, c1, c2, c3) = (low(index), constant(Int(stream)), low(step), high(step))
        var (k0, k1) = (low(key), high(key))
        for round in 0..<10 {
            if round > 0 {
                k0 = low(builder.binary(.add, k0, constant(0x9E37_79B9)))
                k1 = low(builder.binary(.add, k1, constant(0xBB67_AE85)))
            }
            let (product0, product1) = (multiply(c0, by: 0xD251_1F53), multiply(c2, by: 0xCD9E_8D57))
            (c0, c1, c2, c3) = (
                builder.binary(.xor, builder.binary(.xor, high(product1), c1), k0), low(product1),
                builder.binary(.xor, builder.binary(.xor, high(product0), c3), k1), low(product0)
            )
        }
        return c0
    }
}
