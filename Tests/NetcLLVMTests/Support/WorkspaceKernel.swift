import NetcGraph
import NetcLoops

@testable import NetcLLVM

/// One kernel compiled by the JIT and run on one thread over buffers that all live in the workspace arena.
enum WorkspaceKernel {
    /// Compiles `kernel` over `buffers` (workspace views within `bytes`), lets `prepare` write the workspace, runs the
    /// kernel, and returns what `read` takes from the workspace afterwards.
    static func run<Result>(
        _ kernel: Kernel, buffers: [Buffer], bytes: Int, prepare: (UnsafeMutableRawPointer) -> Void,
        read: (UnsafeMutableRawPointer) -> Result
    ) throws -> Result {
        let memory = MemoryPlan(
            arenaSizes: [.workspace: bytes], persistent: [:], inputs: [:], outputs: [:], parameterCount: 0)
        let program = LoopProgram(entryName: "entry", buffers: buffers, kernels: [kernel], memory: memory)
        let session = try JITSession()
        let addresses = try ParallelCompiler.compile(
            program, into: session, target: .current, optimization: .aggressive, threads: 1
        ).addresses
        let arenas = ArenaSet(memory)
        prepare(arenas.base(.workspace))
        withExtendedLifetime(session) {
            WorkerPool(threads: 1).run(
                unsafeBitCast(addresses[0], to: WorkerPool.Task.self),
                arenas: (arenas.base(.workspace), arenas.base(.parameters), arenas.base(.state), arenas.base(.io)),
                extent: 1)
        }
        return read(arenas.base(.workspace))
    }
}
