import NetcLoops

/// Indices that wrap around a channel count: a vector loop across (image, channel) planes reads per-channel values
/// at `(plane + lane) % channels`. When the channels and lane 0's plane are multiples of the lanes, the lanes'
/// channels are neighbours and never wrap inside one vector, so the read is one vector load (which LLVM can hoist
/// out of the loops the channel does not depend on) instead of a gather of one element per lane.
extension KernelEmitter {
    /// The index of lane 0's element when `index` is `invariant + (base + v) % modulus` for the vector loop's
    /// variable v, with `invariant` and `base` the same in every lane, `base` a non-negative multiple of the lanes,
    /// `modulus` a multiple of the lanes and the loop starting at a multiple of the lanes: lane l then reads lane 0's
    /// element + l.
    func wrappedContiguousIndex(_ index: Expr, in module: borrowing IRModule) -> IRValue? {
        guard let vector, vector.lower >= 0, vector.lower % vector.count == 0,
            !index.depends(on: nil, orAnyOf: Set(vector.slots.keys)),
            let (invariant, wrapped, modulus) = index.wrappedForm(in: vector.variable),
            modulus > 0, modulus % vector.count == 0,
            let form = wrapped.linearForm(in: vector.variable), form.stride == 1,
            form.base.isNonNegative(loopStarts: loopStarts), form.base.knownFactor % vector.count == 0
        else { return nil }
        let lane0 = builder.binary(
            .signedRemainder, builder.binary(.add, emit(form.base, in: module), vector.base),
            module.constant(modulus, types.int64))
        return builder.binary(.add, emit(invariant, in: module), lane0)
    }
}
