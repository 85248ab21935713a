import NetcLoops

/// Runs of stores in a vector loop (`StoreRun`): the values of a run's stores, one vector each, are transposed in
/// registers so that each lane's run of neighbouring elements is stored as one short vector, instead of every
/// element extracted and stored on its own. A convolution tile of P pixels × L channel lanes then takes
/// P' · log₂ P' two-vector shuffles (P' the power of two from P) and L short stores, where it took P · L element
/// stores.
extension KernelEmitter {
    /// Emits the body of the vector loop being emitted, each of `runs` stored where its last store stands.
    mutating func emitVectorBody(_ body: [Stmt], runs: [StoreRun], in module: borrowing IRModule) {
        var membership: [Int: (run: Int, offset: Int)] = [:]
        for (run, stores) in runs.enumerated() {
            for (offset, position) in stores.positions.enumerated() { membership[position] = (run, offset) }
        }
        var values = runs.map { [IRValue?](repeating: nil, count: $0.positions.count) }
        for (position, statement) in body.enumerated() {
            guard let (run, offset) = membership[position], case .store(let buffer, _, let value) = statement else {
                emit(statement, in: module)
                continue
            }
            values[run][offset] = vectorOf(lanes(value, in: module), buffers[buffer.index].elementType, in: module)
            guard position == runs[run].positions.max(),
                case .store(_, let firstIndex, _) = body[runs[run].positions[0]]
            else { continue }
            store(values[run].map { $0! }, of: runs[run], from: firstIndex, in: module)
        }
    }

    /// Stores `values` (a vector per element of the run, in the run's order) as one short vector per lane, lane `l`'s
    /// starting at `firstIndex` in lane `l`.
    private func store(_ values: [IRValue], of run: StoreRun, from firstIndex: Expr, in module: borrowing IRModule) {
        guard let vector, let starts = stridedLaneIndices(firstIndex, in: module) else {
            preconditionFailure("a run's first store is a plane apart in each lane")
        }
        let element = buffers[run.buffer.index].elementType
        let (count, lanes) = (values.count, vector.count)
        var width = 1
        while width < count { width *= 2 }
        precondition(width <= lanes, "a run is at most a vector long")
        // Element p of lane l sits at p · lanes + l of the values laid end to end; each stage interleaves the first
        // half of the vectors with the second, moving that index's top bit to the bottom, so after log₂(width) stages
        // it sits at l · width + p: every lane's run in `width` neighbouring elements.
        let full = types.vector(element, lanes)
        var registers = values + Array(repeating: module.undefined(full), count: width - count)
        func mask(_ indices: [Int]) -> IRValue {
            module.constantVector(indices.map { module.constant($0, types.int32) })
        }
        let (low, high) = (
            mask((0..<lanes / 2).flatMap { [$0, lanes + $0] }), mask((lanes / 2..<lanes).flatMap { [$0, lanes + $0] })
        )
        var stages = width
        while stages > 1 {
            registers = (0..<width / 2).flatMap { i in
                let (a, b) = (registers[i], registers[i + width / 2])
                return [builder.shuffle(a, b, mask: low), builder.shuffle(a, b, mask: high)]
            }
            stages /= 2
        }
        let rowsPerRegister = lanes / width
        let short = module.pointerType(to: types.vector(element, count))
        for (lane, start) in starts.enumerated() {
            let (register, row) = lane.quotientAndRemainder(dividingBy: rowsPerRegister)
            let source = registers[register]
            let values = builder.shuffle(source, source, mask: mask((0..<count).map { row * width + $0 }))
            let pointer = builder.convert(elementPointer(run.buffer, at: start), .bitCast, to: short)
            builder.store(values, to: pointer, alignment: element.byteCount)
        }
    }
}
