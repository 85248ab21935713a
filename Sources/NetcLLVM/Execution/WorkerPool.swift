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
        crew.run(Job(work: .compiled(task, arenas), extent: extent))
    }

    /// Runs `body` over `0..<extent` in chunks shared out among the threads as `run` does a compiled task, and
    /// returns when every chunk has run: Swift work between runs (preparing the next batch) on the threads that
    /// run the kernels, with no other threads to wake and no worker asleep to wait for.
    func run(extent: Int, _ body: (Range<Int>) -> Void) {
        withoutActuallyEscaping(body) { body in
            crew.run(Job(work: .closure(body), extent: extent))
        }
    }

    /// Tells the workers that no task follows soon (a whole program has run and the caller goes on to other work,
    /// such as preparing the next batch on every core), so they sleep at once instead of spinning for the next one.
    func rest() {
        crew.rest()
    }
}

/// One task run over a range.
private struct Job {
    /// What runs on each chunk of the range.
    enum Work {
        /// A compiled task and the four arenas it reads and writes.
        case compiled(
            WorkerPool.Task,
            (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer))
        /// Swift code, which outlives no `run`.
        case closure((Range<Int>) -> Void)
    }

    var work: Work
    var extent: Int

    /// Runs the work on `range`.
    func callAsFunction(_ range: Range<Int>) {
        switch work {
        case .compiled(let task, let arenas):
            task(arenas.0, arenas.1, arenas.2, arenas.3, Int64(range.lowerBound), Int64(range.upperBound))
        case .closure(let body): body(range)
        }
    }
}

/// The state the calling thread and the workers share, kept alive by the workers until they stop.
///
/// A waiting thread first spins on its signal for up to `spinTime`, then sleeps on the condition: the kernels of one
/// run follow each other within microseconds, and a sleep and wake-up (two system calls, a context switch) costs
/// more than that. A signal takes the lock and broadcasts only when some thread sleeps, so the kernels of a step
/// pass from one to the next without a system call.
private final class Crew: @unchecked Sendable {
    let threads: Int
    /// How long a waiting thread checks for its signal before sleeping: longer than a thread waits inside a run
    /// (for the other threads' last chunks, a sixteenth of the largest kernels, up to a few hundred microseconds),
    /// short enough that a worker soon leaves the cores to whatever the caller does between runs.
    private static let spinTime = Duration.microseconds(500)
    private let condition = NSCondition()
    /// The threads asleep on `condition` or about to be; a signal wakes them only when there are some.
    private let sleepers = Atomic<Int>(0)
    /// Set by `rest()` until the next job: waiting workers sleep without spinning.
    private let resting = Atomic<Bool>(false)
    /// Incremented (releasing `job`) for each job so a worker runs every job exactly once.
    private let generation = Atomic<Int>(0)
    /// The workers that have not finished the current job.
    private let pending = Atomic<Int>(0)
    /// The start of the current job's next chunk.
    private let next = Atomic<Int>(0)
    /// Chunks per thread: enough that a slow thread leaves little for the others to wait on.
    private static let chunksPerThread = 8
    private let stopping = Atomic<Bool>(false)
    /// Written only while no worker runs a job, read by the workers after they see its generation; nil between runs,
    /// so that a closure's job holds nothing past its `run`.
    private var job: Job?

    init(threads: Int) {
        self.threads = threads
    }

    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        wakeSleepers()
    }

    func run(_ job: Job) {
        guard threads > 1, job.extent >= threads else {
            job(0..<job.extent)
            return
        }
        self.job = job
        pending.store(threads - 1, ordering: .relaxed)
        next.store(0, ordering: .relaxed)
        resting.store(false, ordering: .relaxed)
        generation.add(1, ordering: .sequentiallyConsistent)
        wakeSleepers()
        runChunks(of: job)
        wait { self.pending.load(ordering: .sequentiallyConsistent) == 0 }
        self.job = nil
    }

    func rest() {
        resting.store(true, ordering: .relaxed)
    }

    func work() {
        var seen = 0
        while true {
            wait(
                spinning: { !self.resting.load(ordering: .relaxed) },
                until: {
                    self.generation.load(ordering: .sequentiallyConsistent) != seen
                        || self.stopping.load(ordering: .sequentiallyConsistent)
                })
            if stopping.load(ordering: .acquiring) { return }
            seen = generation.load(ordering: .acquiring)
            do {
                // The job's copy ends here, before the caller learns the job is done and drops it.
                guard let current = job else { preconditionFailure("a new generation carries a job") }
                runChunks(of: current)
            }
            if pending.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 { wakeSleepers() }
        }
    }

    /// Returns once `isDone` holds: spinning for up to `spinTime` while `maySpin` holds, then sleeping until woken.
    ///
    /// Every change that can make `isDone` hold is a sequentially consistent write followed by `wakeSleepers()`,
    /// and a sleeper counts itself (sequentially consistent) before it tests `isDone` under the lock: so either the
    /// change sees the sleeper and broadcasts under the lock, or the sleeper's test sees the change.
    private func wait(spinning maySpin: () -> Bool = { true }, until isDone: () -> Bool) {
        let clock = ContinuousClock()
        let deadline = clock.now + Self.spinTime
        repeat {
            for _ in 0..<256 where isDone() { return }
        } while maySpin() && clock.now < deadline
        sleepers.add(1, ordering: .sequentiallyConsistent)
        condition.lock()
        while !isDone() { condition.wait() }
        condition.unlock()
        sleepers.subtract(1, ordering: .relaxed)
    }

    /// Wakes the threads asleep in `wait(until:)`, if any.
    private func wakeSleepers() {
        guard sleepers.load(ordering: .sequentiallyConsistent) > 0 else { return }
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    /// Runs chunks of the job until its range is used up.
    private func runChunks(of job: Job) {
        let size = max(1, job.extent / (threads * Self.chunksPerThread))
        while true {
            let begin = next.add(size, ordering: .relaxed).oldValue
            guard begin < job.extent else { return }
            let end = min(begin + size, job.extent)
            job(begin..<end)
        }
    }
}
