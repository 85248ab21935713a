import NetcLoops

/// Emits a `LoopProgram` as one LLVM module: per kernel its loop function and its *task*, and the serial
/// entry function (`forward` or `step`) that runs every task over its whole range in order.
///
/// Every task has the same C signature, the four arenas in `Arena.allCases` order and a slice of the
/// kernel's parallel range — `void conv1_0_conv_relu_fwd(i8* workspace, i8* parameters, i8* state, i8* io,
/// i64 begin, i64 end)` — so a runtime can look each one up, split its range over threads and time it; the
/// entry `void step(i8* workspace, i8* parameters, i8* state, i8* io)` is what single-threaded and
/// ahead-of-time callers use. A task passes its loop function typed pointers at the buffers' planned
/// offsets, and runs it with denormals flushed to zero (MXCSR FTZ and DAZ, restored afterwards).
///
/// A program with parameter-only kernels (`LoopProgram.parameterOnlyKernels`: inference's weight packing) gets two
/// more entries with the same signature, which together do what the entry does: `forward_prepare` runs those
/// kernels, `forward_prepared` the others, so a caller packs the weights once and runs many batches.
enum ProgramEmitter {
    /// The module for `program`, unoptimised and not yet tied to a target.
    static func module(for program: LoopProgram) -> IRModule {
        module(for: program, kernels: Array(program.kernels.indices), named: program.entryName, withEntry: true)
    }

    /// A module of some of `program`'s kernels (by index): their loop functions and tasks, and the entry functions
    /// when `withEntry` is set (which needs every kernel). The JIT compiles several such modules at once.
    static func module(for program: LoopProgram, kernels: [Int], named name: String, withEntry: Bool) -> IRModule {
        let module = IRModule(name: name)
        let types = ScalarTypes(module)
        let bytePointer = module.pointerType(to: types.byte)
        let arenaParameters = Arena.allCases.map {
            IRParameter(
                name: $0.rawValue, type: bytePointer,
                attributes: [.noAlias, .noCapture, .align(bytes: MemoryPlan.alignment)])
        }
        let builder = IRBuilder(for: module)
        let tasks = kernels.map { index in
            emitTask(
                of: program.kernels[index], buffers: program.buffers, arenaParameters: arenaParameters, in: module,
                builder, types)
        }
        guard withEntry else { return module }
        precondition(kernels == Array(program.kernels.indices), "the entry function runs every kernel in order")
        emitEntry(
            named: program.entryName, running: kernels, of: program, tasks: tasks, arenaParameters, module, builder,
            types)
        let preparation = program.parameterOnlyKernels
        if !preparation.isEmpty {
            emitEntry(
                named: program.preparationEntryName, running: kernels.filter { preparation.contains($0) },
                of: program, tasks: tasks, arenaParameters, module, builder, types)
            emitEntry(
                named: program.preparedEntryName, running: kernels.filter { !preparation.contains($0) },
                of: program, tasks: tasks, arenaParameters, module, builder, types)
        }
        return module
    }

    /// Emits a function of the four arenas that runs the tasks of kernels `selected` (indices into `tasks`) over
    /// their whole ranges, in order.
    private static func emitEntry(
        named name: String, running selected: [Int], of program: LoopProgram, tasks: [IRFunction],
        _ arenaParameters: [IRParameter], _ module: borrowing IRModule, _ builder: borrowing IRBuilder,
        _ types: ScalarTypes
    ) {
        let entry = module.addFunction(named: name, returning: types.void, parameters: arenaParameters)
        entry.add(.noUnwind)
        builder.position(atEndOf: entry.appendBlock(named: "entry"))
        let arenas = Arena.allCases.indices.map { entry.parameter($0) }
        for index in selected {
            let range = [0, program.kernels[index].parallelExtent ?? 1].map { module.constant($0, types.int64) }
            _ = builder.call(tasks[index], arenas + range)
        }
        builder.returnVoid()
    }

    /// Emits a kernel's loop function and its task, which passes the loop function typed pointers into the arenas.
    private static func emitTask(
        of kernel: Kernel, buffers: [Buffer], arenaParameters: [IRParameter], in module: borrowing IRModule,
        _ builder: borrowing IRBuilder, _ types: ScalarTypes
    ) -> IRFunction {
        var emitter = KernelEmitter(kernel, buffers: buffers, in: module)
        emitter.emitBody(in: module)
        let task = module.addFunction(
            named: kernel.name, returning: types.void,
            parameters: arenaParameters + ["begin", "end"].map { IRParameter(name: $0, type: types.int64) })
        task.add(.noUnwind)
        builder.position(atEndOf: task.appendBlock(named: "entry"))
        let arguments = kernel.buffers.map { id in
            let buffer = buffers[id.index]
            guard let arena = Arena.allCases.firstIndex(of: buffer.location.arena) else {
                preconditionFailure("every arena is a task parameter")
            }
            let address = builder.elementPointer(
                types.byte, base: task.parameter(arena),
                index: module.constant(buffer.location.byteOffset, types.int64))
            return builder.convert(
                address, .bitCast, to: module.pointerType(to: types[buffer.elementType]),
                name: KernelEmitter.symbol(buffer.name))
        }
        let slice = [task.parameter(Arena.allCases.count), task.parameter(Arena.allCases.count + 1)]
        withDenormalsFlushed(builder, module, types) {
            _ = builder.call(emitter.function, arguments + slice)
        }
        builder.returnVoid()
        return task
    }

    /// Emits `body` between setting the x86 MXCSR's flush-to-zero and denormals-are-zero bits and restoring
    /// the caller's MXCSR: denormal operands can slow floating-point code by an order of magnitude.
    private static func withDenormalsFlushed(
        _ builder: borrowing IRBuilder, _ module: borrowing IRModule, _ types: ScalarTypes, _ body: () -> Void
    ) {
        let (save, restore) = (
            module.intrinsic(named: "llvm.x86.sse.stmxcsr", overloadedOn: []),
            module.intrinsic(named: "llvm.x86.sse.ldmxcsr", overloadedOn: [])
        )
        let slot = builder.allocate(types.int32, name: "mxcsr")
        let slotBytes = builder.convert(slot, .bitCast, to: module.pointerType(to: types.byte))
        _ = builder.call(save, [slotBytes])
        let caller = builder.load(types.int32, from: slot, alignment: 4, name: "caller.mxcsr")
        let flushToZero = 0x8000
        let denormalsAreZero = 0x0040
        builder.store(
            builder.binary(.or, caller, module.constant(flushToZero | denormalsAreZero, types.int32)), to: slot,
            alignment: 4)
        _ = builder.call(restore, [slotBytes])
        body()
        builder.store(caller, to: slot, alignment: 4)
        _ = builder.call(restore, [slotBytes])
    }
}
