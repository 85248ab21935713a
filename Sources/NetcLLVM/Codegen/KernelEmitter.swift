import NetcLoops

/// Emits one kernel's loops as an internal LLVM function `NAME.loops`: a pointer parameter per buffer
/// (`noalias nocapture align 64`, `readonly` when only read), then the `i64` slice `[begin, end)` of the
/// parallel loops' range; locals as entry-block `alloca`s that the optimiser promotes to registers, and each
/// loop as a counted loop with a constant trip count (parallel ones run over the slice instead).
struct KernelEmitter: ~Copyable {
    let kernel: Kernel
    let buffers: [Buffer]
    let types: ScalarTypes
    let builder: IRBuilder
    /// The pointer argument of each buffer the kernel touches.
    var arguments: [BufferID: IRValue] = [:]
    /// The stack slot of each local.
    var locals: [IRValue] = []
    /// The current value of each open loop's variable (not a vector loop's: see `vector`).
    var variables: [LoopVariable: IRValue] = [:]
    /// The first value of each open loop's variable (a parallel loop's whole range starts at 0).
    var loopStarts: [LoopVariable: Int] = [:]
    /// The vector loop being emitted, if any.
    var vector: VectorLanes?
    /// The stack slots of each vector loop's varying locals, by the loop's variable.
    var vectorSlots: [LoopVariable: [LocalID: IRValue]] = [:]
    let function: IRFunction
    /// The slice of the parallel loops' range this call runs: the function's last two parameters.
    let slice: (begin: IRValue, end: IRValue)

    /// Declares the kernel's function in `module`, ready for `emitBody(in:)`.
    init(_ kernel: Kernel, buffers: [Buffer], in module: borrowing IRModule) {
        self.kernel = kernel
        self.buffers = buffers
        let types = ScalarTypes(module)
        self.types = types
        builder = IRBuilder(for: module)
        let written = kernel.writtenBuffers
        let parameters = kernel.buffers.map { id in
            let buffer = buffers[id.index]
            var attributes: [ParameterAttribute] = [.noAlias, .noCapture, .align(bytes: MemoryPlan.alignment)]
            if !written.contains(id) { attributes.append(.readOnly) }
            return IRParameter(
                name: Self.symbol(buffer.name), type: module.pointerType(to: types[buffer.elementType]),
                attributes: attributes)
        }
        let sliceParameters = ["begin", "end"].map { IRParameter(name: $0, type: types.int64) }
        function = module.addFunction(
            named: Self.loopsSymbol(of: kernel), returning: types.void, parameters: parameters + sliceParameters)
        function.makeInternal()
        function.add(.noInline)
        function.add(.noUnwind)
        if !kernel.multipliesAndAdds { function.add(.optimizeForSize) }
        if let bits = Self.widestVectorBits(of: kernel), bits > 256 {
            // Without this, a target that prefers 256-bit vectors would split the 512-bit ones the kernel asks for.
            function.setAttribute("min-legal-vector-width", to: "\(bits)")
        }
        for (index, id) in kernel.buffers.enumerated() { arguments[id] = function.parameter(index) }
        slice = (function.parameter(parameters.count), function.parameter(parameters.count + 1))
    }

    /// The name of a kernel's loop function (`conv1_0_conv_relu_fwd.loops`); the kernel's own name is its task.
    static func loopsSymbol(of kernel: Kernel) -> String { kernel.name + ".loops" }

    /// Emits the body: the locals' slots, then the statements, then `ret void`.
    mutating func emitBody(in module: borrowing IRModule) {
        let entry = function.appendBlock(named: "entry")
        builder.position(atEndOf: entry)
        locals = kernel.locals.enumerated().map { builder.allocate(types[$0.element], name: "t\($0.offset)") }
        vectorSlots = makeVectorSlots()
        let body = function.appendBlock(named: "body")
        let done = function.appendBlock(named: "done")
        // Loops test at the bottom, so an empty slice must not enter them.
        builder.branch(if: builder.compare(.signedLess, slice.begin, slice.end), then: body, else: done)
        builder.position(atEndOf: body)
        for statement in kernel.body { emit(statement, in: module) }
        builder.branch(to: done)
        builder.position(atEndOf: done)
        if !kernel.streamedBuffers.isEmpty {
            // Non-temporal stores reach memory in no set order; the fence makes them visible before the kernel
            // reports that it is done, as every other store is.
            builder.call(module.intrinsic(named: "llvm.x86.sse.sfence", overloadedOn: []), [])
        }
        builder.returnVoid()
    }

    mutating func emit(_ statement: Stmt, in module: borrowing IRModule) {
        switch statement {
        case .loop(let loop):
            switch loop.kind {
            case .vector(let lanes): emitVector(loop, lanes: lanes, in: module)
            case .serial, .parallel:
                precondition(vector == nil || !loop.isParallel, "a vector loop's body has no parallel loop")
                emit(loop, in: module)
            }
        case .store(let buffer, let index, let value):
            if vector != nil { return emitVectorStore(buffer, index, value, in: module) }
            let pointer = elementPointer(buffer, index, in: module)
            let stored = emit(value, in: module)
            builder.store(
                stored, to: pointer, alignment: buffers[buffer.index].elementType.byteCount,
                nontemporal: isStreamed(buffer))
        case .assign(let local, let value):
            if vector != nil { return emitVectorAssign(local, value, in: module) }
            let stored = emit(value, in: module)
            builder.store(stored, to: locals[local.index], alignment: kernel.locals[local.index].byteCount)
        case .when(let condition, let body):
            precondition(!isVarying(condition), "conditions inside a vector loop are the same in every lane")
            let test = emit(condition, in: module)
            let then = function.appendBlock(named: "then")
            let merge = function.appendBlock(named: "endif")
            builder.branch(if: test, then: then, else: merge)
            builder.position(atEndOf: then)
            for inner in body { emit(inner, in: module) }
            builder.branch(to: merge)
            builder.position(atEndOf: merge)
        }
    }

    /// `for i in lower..<upper` (over the slice for a parallel loop).
    private mutating func emit(_ loop: Loop, in module: borrowing IRModule) {
        let (lower, upper) =
            loop.isParallel
            ? (slice.begin, slice.end)
            : (module.constant(loop.lower, types.int64), module.constant(loop.upper, types.int64))
        loopStarts[loop.variable] = loop.lower
        countedLoop("i\(loop.variable.index)", from: lower, to: upper, in: module) { emitter, value, module in
            emitter.variables[loop.variable] = value
            for statement in loop.body { emitter.emit(statement, in: module) }
            emitter.variables[loop.variable] = nil
        }
        loopStarts[loop.variable] = nil
    }

    /// A loop counting an `i64` from `lower` up to `upper` as header/body/latch with a phi, calling `body` with the
    /// count to emit each iteration; the trip count is at least one, so the test is at the bottom.
    mutating func countedLoop(
        _ name: String, from lower: IRValue, to upper: IRValue, in module: borrowing IRModule,
        _ body: (inout KernelEmitter, IRValue, borrowing IRModule) -> Void
    ) {
        guard let preheader = builder.currentBlock else { preconditionFailure("the builder is positioned") }
        let header = function.appendBlock(named: "loop.\(name)")
        builder.branch(to: header)
        builder.position(atEndOf: header)
        let variable = builder.phi(types.int64, name: name)
        body(&self, variable, module)
        guard let latch = builder.currentBlock else { preconditionFailure("the builder is positioned") }
        let next = builder.binary(.add, variable, module.constant(1, types.int64), name: "\(name).next")
        let more = builder.compare(.signedLess, next, upper, name: "\(name).more")
        let exit = function.appendBlock(named: "end.\(name)")
        builder.branch(if: more, then: header, else: exit)
        builder.addIncoming([(lower, preheader), (next, latch)], to: variable)
        builder.position(atEndOf: exit)
    }

    /// The address of element `index` of `buffer`.
    func elementPointer(_ buffer: BufferID, _ index: Expr, in module: borrowing IRModule) -> IRValue {
        elementPointer(buffer, at: emit(index, in: module))
    }

    /// The address of the element of `buffer` at the `i64` index `index`.
    func elementPointer(_ buffer: BufferID, at index: IRValue) -> IRValue {
        guard let base = arguments[buffer] else { preconditionFailure("b\(buffer.index) is not an argument") }
        return builder.elementPointer(types[buffers[buffer.index].elementType], base: base, index: index)
    }

    /// A C identifier for a buffer's name (`conv1.0.weight` → `conv1_0_weight`).
    static func symbol(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}
