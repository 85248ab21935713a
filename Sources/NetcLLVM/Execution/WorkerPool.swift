import Foundation

/// A fixed set of threads that run compiled tasks together: the calling thread and `threads − 1` workers
/// each run one contiguous slice of a task's range, and `run` returns when all slices are done.
///
/// Slices are a pure function of the range and the thread count, and the kernels' iterations write
/// disjoint memory, so results are the same on every run and for every thread count.
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
            let worker = Thread { [crew] in crew.work(index: index) }
            worker.name = "netc-worker-\(index)"
            worker.stackSize = 1 << 20
            worker.start()
        }
    }

    /// Stops the workers once they finish.
    deinit {
        crew.stop()
    }

    /// Runs `task` over `0..<extent` split into one slice per thread (the whole range on the calling thread
    /// when `extent` is below the thread count), and returns when every slice has run.
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
private final class Crew: @unchecked Sendable {
    let threads: Int
    private let condition = NSCondition()
    /// Incremented for each job so a worker runs every job exactly once.
    private var generation = 0
    private var job: Job?
    private var pending = 0
    private var stopping = false

    init(threads: Int) {
        self.threads = threads
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    func run(_ job: Job) {
        guard threads > 1, job.extent >= threads else {
            job.task(job.arenas.0, job.arenas.1, job.arenas.2, job.arenas.3, 0, Int64(job.extent))
            return
        }
        condition.lock()
        self.job = job
        pending = threads - 1
        generation += 1
        condition.broadcast()
        condition.unlock()
        runSlice(0, of: job)
        condition.lock()
        while pending > 0 { condition.wait() }
        self.job = nil
        condition.unlock()
    }

    func work(index: Int) {
        var seen = 0
        while true {
            condition.lock()
            while generation == seen && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                return
            }
            seen = generation
            guard let current = job else { preconditionFailure("a new generation carries a job") }
            condition.unlock()
            runSlice(index, of: current)
            condition.lock()
            pending -= 1
            if pending == 0 { condition.broadcast() }
            condition.unlock()
        }
    }

    /// Thread `index`'s slice: `[extent·index/threads, extent·(index+1)/threads)`.
    private func runSlice(_ index: Int, of job: Job) {
        let begin = job.extent * index / threads
        let end = job.extent * (index + 1) / threads
        guard begin < end else { return }
        job.task(job.arenas.0, job.arenas.1, job.arenas.2, job.arenas.3, Int64(begin), Int64(end))
    }
}
