import NetcLoops

/// Emits a `LoopProgram` as one LLVM module: a function per kernel, and the entry function (`forward` or
/// `step`) that calls them in order.
///
/// The entry takes one byte pointer per arena, in `Arena.allCases` order —
/// `void step(i8* workspace, i8* parameters, i8* state, i8* io)` — and passes each kernel typed pointers at
/// the buffers' planned offsets, so the same IR serves the JIT and ahead-of-time object code.
enum ProgramEmitter {
    /// The module for `program`, unoptimised and not yet tied to a target.
    static func module(for program: LoopProgram) -> IRModule {
        let module = IRModule(name: program.entryName)
        let types = ScalarTypes(module)
        var functions: [IRFunction] = []
        for kernel in program.kernels {
            var emitter = KernelEmitter(kernel, buffers: program.buffers, in: module)
            emitter.emitBody(in: module)
            functions.append(emitter.function)
        }
        let bytePointer = module.pointerType(to: types.byte)
        let entry = module.addFunction(
            named: program.entryName, returning: types.void,
            parameters: Arena.allCases.map {
                IRParameter(
                    name: $0.rawValue, type: bytePointer,
                    attributes: [.noAlias, .noCapture, .align(bytes: MemoryPlan.alignment)])
            })
        let builder = IRBuilder(for: module)
        builder.position(atEndOf: entry.appendBlock(named: "entry"))
        for (kernel, function) in zip(program.kernels, functions) {
            let arguments = kernel.buffers.map { id in
                let buffer = program.buffers[id.index]
                guard let arena = Arena.allCases.firstIndex(of: buffer.location.arena) else {
                    preconditionFailure("every arena is an entry parameter")
                }
                let address = builder.elementPointer(
                    types.byte, base: entry.parameter(arena),
                    index: module.constant(buffer.location.byteOffset, types.int64))
                return builder.convert(
                    address, .bitCast, to: module.pointerType(to: types[buffer.elementType]),
                    name: KernelEmitter.symbol(buffer.name))
            }
            builder.call(function, arguments)
        }
        builder.returnVoid()
        return module
    }
}
