extension KernelEmitter {
    /// Emits Philox4x32-10 inline, exactly as `Philox.block` computes it (32-bit lanes, each `mulhi` the top
    /// half of a 64-bit product, ten rounds with the Weyl key schedule), and returns word 0 for counter
    /// (index, stream, step low, step high) under `key`, zero-extended to `i64`; `key`, `step` and `index` are
    /// `i64`.
    func philoxWord(
        key: IRValue, step: IRValue, stream: UInt32, index: IRValue, in module: borrowing IRModule
    )
        -> IRValue
    {
        var (c0, c1, c2, c3) = (low(index), constant32(stream, module), low(step), high(step, module))
        var (k0, k1) = (low(key), high(key, module))
        for round in 0..<10 {
            if round > 0 {
                k0 = builder.binary(.add, k0, constant32(0x9E37_79B9, module))
                k1 = builder.binary(.add, k1, constant32(0xBB67_AE85, module))
            }
            let product0 = multiply(c0, by: 0xD251_1F53, module)
            let product1 = multiply(c2, by: 0xCD9E_8D57, module)
            (c0, c1, c2, c3) = (
                builder.binary(.xor, builder.binary(.xor, high(product1, module), c1), k0), low(product1),
                builder.binary(.xor, builder.binary(.xor, high(product0, module), c3), k1), low(product0)
            )
        }
        return builder.convert(c0, .zeroExtend, to: types.int64)
    }

    private func low(_ value: IRValue) -> IRValue {
        builder.convert(value, .truncate, to: types.int32)
    }

    private func high(_ value: IRValue, _ module: borrowing IRModule) -> IRValue {
        low(builder.binary(.logicalShiftRight, value, module.constant(32, types.int64)))
    }

    private func constant32(_ value: UInt32, _ module: borrowing IRModule) -> IRValue {
        module.constant(Int(value), types.int32)
    }

    /// The 64-bit product of a 32-bit lane and a constant, both unsigned.
    private func multiply(_ lane: IRValue, by factor: UInt32, _ module: borrowing IRModule) -> IRValue {
        builder.binary(
            .multiply, builder.convert(lane, .zeroExtend, to: types.int64), module.constant(Int(factor), types.int64))
    }
}
