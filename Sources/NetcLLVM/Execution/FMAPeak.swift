import Foundation
import NetcLoops

/// The fused multiply-add peak of this machine, measured by a JIT-compiled loop: what `netc bench` states every
/// GFLOP/s figure against.
///
/// The loop is written in the loop IR like any kernel: a vector loop of `bits / 32` lanes holding as many
/// independent chains of multiply-adds as the registers allow (more than FMA units × latency), run by every thread at
/// once over a parallel loop; its operations are counted from the loop nest as every kernel's are.
public enum FMAPeak {
    /// Iterations of each chain per run: about a billion operations per thread.
    static let iterations = 2_000_000

    /// GFLOP/s of `bits`-wide vectors on `threads` threads (the best of `runs` runs), or nil when the host has no
    /// vectors that wide.
    public static func measure(vectorBits bits: Int, threads: Int, runs: Int = 5) throws(LLVMError) -> Double? {
        let host = HostTarget.current
        guard bits <= host.description.widestVectorBits else { return nil }
        let target = HostTarget(
            triple: host.triple, cpuName: host.cpuName, features: host.features,
            description: host.description.withVectorBits(bits))
        let program = program(lanes: bits / 32, chains: min(16, host.description.vectorRegisters - 4), threads: threads)
        let session = try JITSession(target: target)
        let addresses = try ParallelCompiler.compile(
            program, into: session, target: target, optimization: .aggressive, threads: 1
        ).addresses
        let task = unsafeBitCast(addresses[0], to: WorkerPool.Task.self)
        let pool = WorkerPool(threads: threads)
        let arenas = ArenaSet(program.memory)
        let memory = (
            arenas.base(.workspace), arenas.base(.parameters), arenas.base(.state), arenas.base(.io)
        )
        // The task's code belongs to the session and its memory to the arenas: both must outlive every call.
        let best = withExtendedLifetime((session, arenas)) {
            pool.run(task, arenas: memory, extent: threads)
            let clock = ContinuousClock()
            var best = Double.infinity
            for _ in 0..<runs {
                let start = clock.now
                pool.run(task, arenas: memory, extent: threads)
                best = min(best, (clock.now - start).seconds)
            }
            return best
        }
        return Double(program.kernels[0].floatingPointOperations) / best / 1e9
    }

    /// The peak loop: per thread and lane, `chains` sums each repeatedly multiplied and added to, then stored.
    static func program(lanes: Int, chains: Int, threads: Int) -> LoopProgram {
        let (thread, lane, step) = (LoopVariable(0), LoopVariable(1), LoopVariable(2))
        let sums = BufferID(0)
        let start = Stmt.assign(LocalID(0), .convert(.variable(lane), to: .float32))
        let chainStarts = (1...chains).map {
            Stmt.assign(LocalID($0), .binary(.add, .local(LocalID(0)), .f32(Double($0))))
        }
        let updates = (1...chains).map {
            Stmt.assign(LocalID($0), .multiplyAdd(.local(LocalID($0)), .f32(0.999_999), .f32(1e-7)))
        }
        let stores = (1...chains).map {
            Stmt.store(
                sums,
                index: (.variable(thread) * .integer(chains) + .integer($0 - 1)) * .integer(lanes) + .variable(lane),
                value: .local(LocalID($0)))
        }
        let vector = Loop(
            lane, 0..<lanes, kind: .vector(lanes: lanes),
            body: [start] + chainStarts + [.loop(Loop(step, 0..<iterations, body: updates))] + stores)
        let kernel = Kernel(
            name: "fma_peak", computes: [], locals: Array(repeating: .float32, count: chains + 1), variableCount: 3,
            body: [.loop(Loop(thread, 0..<threads, isParallel: true, body: [.loop(vector)]))])
        let buffer = Buffer(
            name: "sums", elementType: .float32, count: threads * chains * lanes,
            location: MemoryView(arena: .workspace, byteOffset: 0))
        let memory = MemoryPlan(
            arenaSizes: [.workspace: buffer.byteCount], persistent: [:], inputs: [:], outputs: [:], parameterCount: 0)
        return LoopProgram(entryName: "fma_peak_entry", buffers: [buffer], kernels: [kernel], memory: memory)
    }
}
