import Dispatch
import NetcLoops
import Synchronization

/// Compiles a program's kernels for the JIT on several threads at once.
///
/// LLVM optimises and generates code for a module on one thread, so the kernels are split into many small modules
/// of about equal size, which `threads` workers take one at a time (sizes only estimate compile time); each module
/// is emitted, optimised and compiled to an object file with its own context and target machine, and the objects
/// are then linked into the session in order. Every function is optimised on its own, so a kernel's code does not
/// depend on the module it lands in. With a `CodeCache`, a module compiled before from the same IR for the same
/// target is loaded from the cache instead, and the cache is trimmed to its limit once all modules are compiled.
enum ParallelCompiler {
    /// Modules per worker: enough that the last one to finish leaves the other workers little idle time.
    static let modulesPerThread = 8

    /// What `compile` gives: the kernels' task addresses in run order, and how many of the modules they were split
    /// into came from the code cache.
    struct Compiled {
        var addresses: [UnsafeRawPointer]
        var modules: Int
        var cachedModules: Int
    }

    /// Compiles every kernel of `program` for `target` into `session` on up to `threads` threads.
    static func compile(
        _ program: LoopProgram, into session: JITSession, target: HostTarget, optimization: OptimizationLevel,
        threads: Int, cache: CodeCache? = nil
    ) throws(LLVMError) -> Compiled {
        let parts = partition(program.kernels, into: threads * modulesPerThread)
        // Atomics, not Synchronization's `Mutex`: the thread sanitizer (tools/sanitize) sees them.
        let next = Atomic<Int>(0)
        let cachedModules = Atomic<Int>(0)
        var objects = [Result<[UInt8], LLVMError>](repeating: .success([]), count: parts.count)
        objects.withUnsafeMutableBufferPointer { objects in
            nonisolated(unsafe) let slots = objects
            DispatchQueue.concurrentPerform(iterations: min(threads, parts.count)) { _ in
                while case let part = next.wrappingAdd(1, ordering: .relaxed).oldValue, part < parts.count {
                    slots[part] = Result { () throws(LLVMError) in
                        var module = ProgramEmitter.module(
                            for: program, kernels: parts[part], named: "\(program.entryName).\(part)", withEntry: false)
                        let key = cache.map { _ in
                            CodeCache.key(ir: module.text, target: target, optimization: optimization)
                        }
                        if let key, let object = cache?.object(for: key) {
                            cachedModules.wrappingAdd(1, ordering: .relaxed)
                            return object
                        }
                        let machine = try TargetMachine.forJIT(target)
                        try module.optimize(optimization, for: machine)
                        let object = try machine.emit(module, as: .object)
                        if let key { cache?.store(object, for: key) }
                        return object
                    }
                }
            }
        }
        let cached = cachedModules.load(ordering: .relaxed)
        if cached < parts.count { cache?.evictLeastRecentlyUsed() }
        for (part, object) in objects.enumerated() {
            try session.addObjectFile(object.get(), named: "\(program.entryName).\(part).o")
        }
        var addresses: [UnsafeRawPointer] = []
        for kernel in program.kernels {
            addresses.append(try session.address(of: kernel.name))
        }
        return Compiled(addresses: addresses, modules: parts.count, cachedModules: cached)
    }

    /// Splits the kernels (by index) into at most `count` non-empty groups of about equal size: the largest kernel
    /// first, each to the group with the least so far.
    static func partition(_ kernels: [Kernel], into count: Int) -> [[Int]] {
        var groups = [[Int]](repeating: [], count: max(1, min(count, kernels.count)))
        var work = [Int](repeating: 0, count: groups.count)
        let largestFirst = kernels.indices.sorted { kernels[$0].size > kernels[$1].size }
        for index in largestFirst {
            guard let lightest = work.indices.min(by: { work[$0] < work[$1] }) else { break }
            groups[lightest].append(index)
            work[lightest] += kernels[index].size
        }
        return groups.map { $0.sorted() }
    }
}
