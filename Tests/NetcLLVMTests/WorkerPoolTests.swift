import Foundation
import Testing

@testable import NetcLLVM

@Suite("Worker pool")
struct WorkerPoolTests {
    /// How many times each index of `0..<count` was given to the body of `pool.run(extent:_:)`.
    ///
    /// The counts are guarded by an `NSLock`, not Synchronization's `Mutex`: the thread sanitizer (`tools/sanitize`)
    /// understands a pthread mutex but not the futex under `Mutex` on Linux, and reported every count as a race.
    private static func coverage(of pool: WorkerPool, count: Int) -> [Int] {
        let lock = NSLock()
        nonisolated(unsafe) var hits = [Int](repeating: 0, count: count)
        pool.run(extent: count) { chunk in
            for index in chunk { lock.withLock { hits[index] += 1 } }
        }
        return lock.withLock { hits }
    }

    @Test(
        "Swift work runs each index exactly once, however the range compares with the threads",
        arguments: [0, 1, 2, 3, 100, 1001])
    func everyIndexOnce(count: Int) {
        let pool = WorkerPool(threads: 2)
        // Twice, so that the second run finds the workers as the first left them (spinning, then resting).
        for _ in 0..<2 {
            #expect(Self.coverage(of: pool, count: count) == [Int](repeating: 1, count: count))
        }
        pool.rest()
        #expect(Self.coverage(of: pool, count: count) == [Int](repeating: 1, count: count))
    }

    @Test("both threads take chunks of a range")
    func sharedBetweenThreads() {
        let pool = WorkerPool(threads: 2)
        let lock = NSLock()
        nonisolated(unsafe) var threads = Set<ObjectIdentifier>()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        // Each chunk waits until both threads have taken one (or ten seconds have passed), so the caller cannot run
        // the whole range alone before the worker wakes, however busy the machine.
        pool.run(extent: 64) { _ in
            lock.withLock { _ = threads.insert(ObjectIdentifier(Thread.current)) }
            while lock.withLock({ threads.count }) < 2 && clock.now < deadline { Thread.sleep(forTimeInterval: 0.001) }
        }
        #expect(lock.withLock { threads.count } == 2)
    }
}
