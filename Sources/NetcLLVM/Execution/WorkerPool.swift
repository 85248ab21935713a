import Foundation
import Synchronization

/// A fixed set of threads that run compiled tasks together: the calling thread and `threads − 1` workers take
/// chunks of a task's range from a shared counter until none is left, and `run` returns when all are done.
///
/// Taking chunks as they go, rather than one fixed slice each, keeps both cores busy when one of them runs slower
/// (another process, a busy sibling hyperthread). Results do not depend on which thread runs which chunk: every
/// iteration of a kernel's parallel loop writes only its own outputs and computes them the same way wherever it
/// runs, so results are the same on every run and for every thread count.
final class WorkerPool {
    /// A compiled task: the four arenas, then the slice `[begin, end)` of the kernel's parallel range.
    typealias Task =
        @convention(c) (
            UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer,
            Int64, Int64
        ) -> Void

    /// The number of threads a task's range is split over, the caller's included.
    var threads: Int { crew.threads }

    private let crew: Crew

    /// Starts `threads − 1` workers (none for one thread).
    init(threads: Int) {
        precondition(threads >= 1, "a pool has at least the calling thread")
        crew = Crew(threads: threads)
        for index in 1..<threads {
            let worker = Thread { [crew] in crew.work() }
            worker.name = "netc-worker-\(index)"
            worker.stackSize = 1 << 20
            worker.start()
        }
    }

    /// Stops the workers once they finish.
    deinit {
        crew.stop()
    }

    /// Runs `task` over `0..<extent` in chunks shared out among the threads (the whole range on the calling thread
    /// when `extent` is below the thread count), and returns when every chunk has run.
    func run(
        _ task: Task,
        arenas: (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer),
        extent: Int
    ) {
        crew.run(Job(task: task, arenas: arenas, extent: extent))
    }
}

/// One task run over a range.
private struct Job {
    var task: WorkerPool.Task
    var arenas: (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer)
    var extent: Int
}

/// The state the calling thread and the workers share, kept alive by the workers until they stop.
///
/// A waiting thread first spins on the job counter for a few tens of microseconds, then sleeps on the condition:
/// the kernels of one run follow each other within microseconds, and a sleep and wake-up costs more than that.
private final class Crew: @unchecked Sendable {
    let threads: Int
    /// How many times a waiting thread checks for its signal before sleeping.
    private static let spins = 20_000
    private let condition = NSCondition()
    /// Incremented (releasing `job`) for each job so a worker runs every job exactly once.
    private let generation = Atomic<Int>(0)
    /// The workers that have not finished the current job.
    private let pending = Atomic<Int>(0)
    /// The start of the current job's next chunk.
    private let next = Atomic<Int>(0)
    /// Chunks per thread: enough that a slow thread leaves little for the others to wait on.
    private static let chunksPerThread = 8
    private let stopping = Atomic<Bool>(false)
    /// Written only while no worker runs a job, read by the workers after they see its generation.
    private var job: Job?

    init(threads: Int) {
        self.threads = threads
    }

    func stop() {
        condition.lock()
        stopping.store(true, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
    }

    func run(_ job: Job) {
        guard threads > 1, job.extent >= threads else {
            job.task(job.arenas.0, job.arenas.1, job.arenas.2, job.arenas.3, 0, Int64(job.extent))
            return
        }
        self.job = job
        pending.store(threads - 1, ordering: .relaxed)
        next.store(0, ordering: .relaxed)
        condition.lock()
        generation.add(1, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
        runChunks(of: job)
        wait { self.pending.load(ordering: .acquiring) == 0 }
    }

    func work() {
        var seen = 0
        while true {
            wait { self.generation.load(ordering: .acquiring) != seen || self.stopping.load(ordering: .acquiring) }
            if stopping.load(ordering: .acquiring) { return }
            seen = generation.load(ordering: .acquiring)
            guard let current = job else { preconditionFailure("a new generation carries a job") }
            runChunks(of: current)
            if pending.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                condition.lock()
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// Returns once `isDone` holds: spinning at first, then sleeping until a broadcast (every change that can make
    /// it hold is followed by one, under the lock).
    private func wait(until isDone: () -> Bool) {
        for _ in 0..<Self.spins where isDone() { return }
        condition.lock()
        while !isDone() { condition.wait() }
        condition.unlock()
    }

    /// Runs chunks of the job until its range is used up.
    private func runChunks(of job: Job) {
        let size = max(1, job.extent / (threads * Self.chunksPerThread))
        while true {
            let begin = next.add(size, ordering: .relaxed).oldValue
            guard begin < job.extent else { return }
            let end = min(begin + size, job.extent)
            job.task(job.arenas.0, job.arenas.1, job.arenas.2, job.arenas.3, Int64(begin), Int64(end))
        }
    }
}
