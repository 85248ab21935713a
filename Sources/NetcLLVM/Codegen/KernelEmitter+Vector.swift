import NetcLoops

/// The lanes of the vector loop being emitted: which variable they count, its value in lane 0, and the stack
/// slots of the locals that hold one value per lane.
struct VectorLanes {
    let count: Int
    let variable: LoopVariable
    /// The loop's first value.
    let lower: Int
    /// The variable's value in lane 0 of the vector being computed (`i64`).
    var base: IRValue
    /// A vector-typed stack slot for each local that differs between lanes.
    let slots: [LocalID: IRValue]
}

/// A value inside a vector loop: one for all lanes (a scalar) or one per lane (a vector).
enum LaneValue {
    case uniform(IRValue)
    case varying(IRValue)
}

/// Vector loops (`LoopKind.vector`): the body runs once per `lanes` iterations, each value that depends on the
/// loop's variable held as an LLVM vector (`<16 x float>`), everything else as the scalar it is in every lane.
///
/// Loads and stores whose index moves by one element per lane become vector loads and stores; an index that is
/// the same in every lane stays a scalar access (a store of a varying value keeps the last lane's, as a serial
/// loop would); stores that together write a run of neighbouring elements in each lane are transposed into one short
/// vector per lane (`StoreRun`); any other index is accessed lane by lane.
extension KernelEmitter {
    /// Emits a vector loop: the body once per vector of lanes (a counted loop when there are several), then each
    /// varying local's last lane into its scalar slot, which is where a serial loop would leave it.
    mutating func emitVector(_ loop: Loop, lanes: Int, in module: borrowing IRModule) {
        precondition(vector == nil, "vector loops do not nest")
        guard let slots = vectorSlots[loop.variable] else { preconditionFailure("slots are made in the entry block") }
        // The transposition interleaves halves of vectors, so it takes a power of two of lanes.
        let runs = lanes & (lanes - 1) == 0 ? loop.storeRuns(varying: Set(slots.keys), longest: lanes) : []
        let emitBody = { (emitter: inout KernelEmitter, base: IRValue, module: borrowing IRModule) in
            emitter.vector = VectorLanes(
                count: lanes, variable: loop.variable, lower: loop.lower, base: base, slots: slots)
            emitter.emitVectorBody(loop.body, runs: runs, in: module)
            emitter.vector = nil
        }
        let vectors = loop.tripCount / lanes
        if vectors == 1 {
            emitBody(&self, module.constant(loop.lower, types.int64), module)
        } else {
            countedLoop(
                "i\(loop.variable.index).vector", from: module.constant(0, types.int64),
                to: module.constant(vectors, types.int64), in: module
            ) { emitter, index, module in
                let base = emitter.builder.binary(
                    .add, module.constant(loop.lower, emitter.types.int64),
                    emitter.builder.binary(.multiply, index, module.constant(lanes, emitter.types.int64)))
                emitBody(&emitter, base, module)
            }
        }
        for (local, slot) in slots.sorted(by: { $0.key.index < $1.key.index }) {
            let type = kernel.locals[local.index]
            let all = builder.load(types.vector(type, lanes), from: slot, alignment: type.byteCount)
            let last = builder.extractElement(module.constant(lanes - 1, types.int32), of: all)
            builder.store(last, to: locals[local.index], alignment: type.byteCount)
        }
    }

    /// The stack slots of every vector loop's varying locals, made in the entry block.
    func makeVectorSlots() -> [LoopVariable: [LocalID: IRValue]] {
        var slots: [LoopVariable: [LocalID: IRValue]] = [:]
        func visit(_ statement: Stmt) {
            switch statement {
            case .loop(let loop):
                if let lanes = loop.vectorLanes {
                    // In local order, so the function is the same on every run.
                    slots[loop.variable] = Dictionary(
                        uniqueKeysWithValues: Stmt.localsVarying(in: loop).sorted { $0.index < $1.index }.map { local in
                            let type = types.vector(kernel.locals[local.index], lanes)
                            return (local, builder.allocate(type, name: "t\(local.index).lanes"))
                        })
                }
                loop.body.forEach(visit)
            case .when(_, let body): body.forEach(visit)
            case .store, .assign: break
            }
        }
        kernel.body.forEach(visit)
        return slots
    }

    /// The widest vector `kernel`'s vector loops use, in bits (counting `f32` lanes), or nil when it has none.
    static func widestVectorBits(of kernel: Kernel) -> Int? {
        func widest(_ statement: Stmt) -> Int? {
            switch statement {
            case .loop(let loop):
                let inner = loop.body.compactMap(widest).max()
                return [loop.vectorLanes.map { $0 * 32 }, inner].compactMap { $0 }.max()
            case .when(_, let body): return body.compactMap(widest).max()
            case .store, .assign: return nil
            }
        }
        return kernel.body.compactMap(widest).max()
    }

    // MARK: Statements

    /// `buffer[index] = value` inside a vector loop.
    func emitVectorStore(_ buffer: BufferID, _ index: Expr, _ value: Expr, in module: borrowing IRModule) {
        guard let vector else { preconditionFailure("inside a vector loop") }
        let type = buffers[buffer.index].elementType
        let stored = lanes(value, in: module)
        if !isVarying(index) {
            let scalar: IRValue
            switch stored {
            case .uniform(let value): scalar = value
            case .varying(let values):
                scalar = builder.extractElement(module.constant(vector.count - 1, types.int32), of: values)
            }
            builder.store(
                scalar, to: elementPointer(buffer, index, in: module), alignment: type.byteCount,
                nontemporal: isStreamed(buffer))
        } else if let address = contiguousAddress(buffer, index, in: module) {
            // A non-temporal store is claimed as aligned as its index proves: the backend splits one it cannot
            // prove aligned to 16 bytes into 4- or 8-byte pieces (`movntss`, `movnti`), and one claimed more faults.
            let streamed = isStreamed(buffer)
            builder.store(
                vectorOf(stored, type, in: module), to: address,
                alignment: streamed ? contiguousAlignment(buffer, index) : type.byteCount, nontemporal: streamed)
        } else if let indices = stridedLaneIndices(index, in: module) {
            // The input gradient of the reference network's conv1_3 took 3.96 ms of a step as a scatter, 3.42 ms
            // stored lane by lane (medians of 9 interleaved rounds, Zen 4 without AVX-512; with it, 2.55 → 2.36 ms).
            let values = vectorOf(stored, type, in: module)
            for (lane, index) in indices.enumerated() {
                builder.store(
                    builder.extractElement(module.constant(lane, types.int32), of: values),
                    to: elementPointer(buffer, at: index), alignment: type.byteCount)
            }
        } else {
            // A scatter (one instruction with AVX-512; LLVM stores lane by lane where the CPU has none).
            let values = vectorOf(stored, type, in: module)
            let pointers = lanePointers(buffer, index, in: module)
            let scatter = module.intrinsic(named: "llvm.masked.scatter", overloadedOn: [values.type, pointers.type])
            builder.call(
                scatter, [values, pointers, module.constant(type.byteCount, types.int32), allLanes(in: module)])
        }
    }

    /// Whether the kernel writes `buffer` with non-temporal stores (`Kernel.streamedBuffers`). Only whole vectors
    /// and scalars are: lanes stored apart (a scatter, lane by lane, a run) would leave partial cache lines.
    func isStreamed(_ buffer: BufferID) -> Bool {
        kernel.streamedBuffers.contains(buffer)
    }

    /// `local = value` inside a vector loop: all lanes for a varying local, else the one scalar.
    func emitVectorAssign(_ local: LocalID, _ value: Expr, in module: borrowing IRModule) {
        guard let vector else { preconditionFailure("inside a vector loop") }
        let type = kernel.locals[local.index]
        if let slot = vector.slots[local] {
            builder.store(vectorOf(lanes(value, in: module), type, in: module), to: slot, alignment: type.byteCount)
        } else {
            builder.store(emit(value, in: module), to: locals[local.index], alignment: type.byteCount)
        }
    }

    // MARK: Expressions

    /// Whether `expression` differs between the lanes of the vector loop being emitted.
    func isVarying(_ expression: Expr) -> Bool {
        guard let vector else { return false }
        return expression.depends(on: vector.variable, orAnyOf: Set(vector.slots.keys))
    }

    /// Emits `expression` inside a vector loop: a scalar when it is the same in every lane, else a vector.
    func lanes(_ expression: Expr, in module: borrowing IRModule) -> LaneValue {
        guard let vector, isVarying(expression) else { return .uniform(emit(expression, in: module)) }
        let type = self.type(of: expression)
        switch expression {
        case .integer, .real:
            preconditionFailure("constants are uniform")
        case .variable:
            let offsets = module.constantVector((0..<vector.count).map { module.constant($0, types.int64) })
            return .varying(builder.binary(.add, splat(vector.base, in: module), offsets))
        case .local(let local):
            guard let slot = vector.slots[local] else { preconditionFailure("t\(local.index) has no lanes") }
            return .varying(builder.load(types.vector(type, vector.count), from: slot, alignment: type.byteCount))
        case .load(let buffer, let index):
            let element = buffers[buffer.index].elementType
            if let address = contiguousAddress(buffer, index, in: module) {
                return .varying(
                    builder.load(types.vector(element, vector.count), from: address, alignment: element.byteCount))
            }
            let type = types.vector(element, vector.count)
            if let indices = stridedLaneIndices(index, in: module) {
                // The reference network's first pooling with its dropout, which reads 8 planes a plane apart, took
                // 0.58 ms of a step with gathers and 0.43 ms loaded lane by lane; the packing of conv1_3's output
                // gradient for its weight gradient 0.29 and 0.17 ms (medians of 4 interleaved rounds, this Zen 4).
                var values = module.undefined(type)
                for (lane, index) in indices.enumerated() {
                    let value = builder.load(
                        types[element], from: elementPointer(buffer, at: index), alignment: element.byteCount)
                    values = builder.insertElement(value, into: values, at: module.constant(lane, types.int32))
                }
                return .varying(values)
            }
            // A gather (one instruction with AVX2 and AVX-512).
            let pointers = lanePointers(buffer, index, in: module)
            let gather = module.intrinsic(named: "llvm.masked.gather", overloadedOn: [type, pointers.type])
            return .varying(
                builder.call(
                    gather,
                    [
                        pointers, module.constant(element.byteCount, types.int32), allLanes(in: module),
                        module.undefined(type),
                    ]))
        case .unary(let op, let a):
            return .varying(apply(op, vectorOf(lanes(a, in: module), type, in: module), scalar: type, in: module))
        case .binary(let op, let a, let b):
            let operands = self.type(of: a)
            let (x, y) = (
                vectorOf(lanes(a, in: module), operands, in: module),
                vectorOf(lanes(b, in: module), operands, in: module)
            )
            return .varying(combine(op, x, y, isFloat: operands.isFloatingPoint, in: module))
        case .multiplyAdd(let a, let b, let c):
            let (x, y, z) = (
                vectorOf(lanes(a, in: module), type, in: module), vectorOf(lanes(b, in: module), type, in: module),
                vectorOf(lanes(c, in: module), type, in: module)
            )
            return .varying(multiplyAdd(x, y, z, in: module))
        case .compare(let op, let a, let b):
            let operands = self.type(of: a)
            let (x, y) = (
                vectorOf(lanes(a, in: module), operands, in: module),
                vectorOf(lanes(b, in: module), operands, in: module)
            )
            return .varying(builder.compare(comparison(op, isFloat: operands.isFloatingPoint), x, y))
        case .select(let condition, let then, let otherwise):
            let (x, y) = (
                vectorOf(lanes(then, in: module), type, in: module),
                vectorOf(lanes(otherwise, in: module), type, in: module)
            )
            switch lanes(condition, in: module) {
            case .uniform(let test): return .varying(builder.select(test, then: x, else: y))
            case .varying(let tests): return .varying(builder.select(tests, then: x, else: y))
            }
        case .convert(let a, let target):
            let source = self.type(of: a)
            let value = vectorOf(lanes(a, in: module), source, in: module)
            return .varying(convert(value, from: source, to: target, as: types.vector(target, vector.count)))
        case .philox(let key, let step, let stream, let index):
            let (k, s, i) = (
                vectorOf(lanes(key, in: module), .int64, in: module),
                vectorOf(lanes(step, in: module), .int64, in: module),
                vectorOf(lanes(index, in: module), .int64, in: module)
            )
            return .varying(philoxWord(key: k, step: s, stream: stream, index: i, lanes: vector.count, in: module))
        }
    }

    /// Each lane's index, when the lanes of `index` lie a constant stride apart and it reads no varying local: one
    /// scalar index and constant offsets from it, so each lane is loaded or stored on its own. A gather or scatter
    /// has every lane's index computed in a vector and, on a CPU without the instruction (stores without AVX-512;
    /// gathers LLVM judges slow, such as Zen's), extracted one by one, and without AVX-512 its 64-bit multiplies take
    /// three instructions each. With AVX-512, lane by lane wins too: on the Zen 4, conv1_3's input gradient, whose
    /// 16-lane stores into channel planes were two `vscatterqps` each, took 2.55 ms against 2.36 ms (medians of 7
    /// interleaved rounds, each binary with its own tuned schedules).
    func stridedLaneIndices(_ index: Expr, in module: borrowing IRModule) -> [IRValue]? {
        guard let vector, !index.depends(on: nil, orAnyOf: Set(vector.slots.keys)),
            let form = index.linearForm(in: vector.variable)
        else { return nil }
        let first = builder.binary(
            .add, emit(form.base, in: module),
            builder.binary(.multiply, vector.base, module.constant(form.stride, types.int64)))
        return (0..<vector.count).map { lane in
            builder.binary(.add, first, module.constant(lane * form.stride, types.int64))
        }
    }

    /// The address of each lane's element of `buffer`, as a vector of pointers.
    private func lanePointers(_ buffer: BufferID, _ index: Expr, in module: borrowing IRModule) -> IRValue {
        guard let base = arguments[buffer] else { preconditionFailure("b\(buffer.index) is not an argument") }
        let indices = vectorOf(lanes(index, in: module), .int64, in: module)
        return builder.elementPointer(types[buffers[buffer.index].elementType], base: base, index: indices)
    }

    /// A mask with every lane on.
    private func allLanes(in module: borrowing IRModule) -> IRValue {
        guard let vector else { preconditionFailure("inside a vector loop") }
        return module.constantVector((0..<vector.count).map { _ in module.constant(1, types.bool) })
    }

    /// A lane value as a vector of `type`, a uniform one copied into every lane.
    func vectorOf(_ value: LaneValue, _ type: ScalarType, in module: borrowing IRModule) -> IRValue {
        switch value {
        case .uniform(let scalar): splat(scalar, in: module)
        case .varying(let vector): vector
        }
    }

    /// `scalar` in every lane of a vector.
    private func splat(_ scalar: IRValue, in module: borrowing IRModule) -> IRValue {
        guard let vector else { preconditionFailure("inside a vector loop") }
        let single = builder.insertElement(
            scalar, into: module.undefined(scalar.type.vector(vector.count)),
            at: module.constant(0, types.int32))
        let zeros = module.constantVector((0..<vector.count).map { _ in module.constant(0, types.int32) })
        return builder.shuffle(single, single, mask: zeros)
    }

    /// The bytes the address of `contiguousAddress(buffer, index)` is known to be a multiple of, up to the vector's
    /// size: every buffer starts at a multiple of `MemoryPlan.alignment` bytes (the arenas' contract), and the
    /// index of lane 0 is its form's base plus the loop's first value plus a multiple of the lanes.
    private func contiguousAlignment(_ buffer: BufferID, _ index: Expr) -> Int {
        let element = buffers[buffer.index].elementType.byteCount
        guard let vector, let form = index.linearForm(in: vector.variable), form.stride == 1 else { return element }
        let bytes = min(vector.count * element, MemoryPlan.alignment)
        let limit = (1 << (Int.bitWidth - 1 - bytes.leadingZeroBitCount)) / element
        let factors = [form.base, .integer(vector.lower), .integer(vector.count)].map {
            $0.powerOfTwoFactor(upTo: limit)
        }
        return factors.min()! * element
    }

    /// The address of lane 0's element, as a pointer to a whole vector, when `index` moves by one element per lane,
    /// directly or around a channel count (`wrappedContiguousIndex`), and reads no varying local; nil otherwise.
    private func contiguousAddress(_ buffer: BufferID, _ index: Expr, in module: borrowing IRModule) -> IRValue? {
        guard let vector, !index.depends(on: nil, orAnyOf: Set(vector.slots.keys)) else { return nil }
        let first: IRValue
        if let form = index.linearForm(in: vector.variable), form.stride == 1 {
            first = builder.binary(.add, emit(form.base, in: module), vector.base)
        } else if let wrapped = wrappedContiguousIndex(index, in: module) {
            first = wrapped
        } else {
            return nil
        }
        let element = buffers[buffer.index].elementType
        let pointer = elementPointer(buffer, at: first)
        return builder.convert(
            pointer, .bitCast, to: module.pointerType(to: types.vector(element, vector.count)))
    }
}
