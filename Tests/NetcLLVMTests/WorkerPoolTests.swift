import Foundation
import Synchronization
import Testing

@testable import NetcLLVM

@Suite("Worker pool")
struct WorkerPoolTests {
    /// How many times each index of `0..<count` was given to the body of `pool.run(extent:_:)`.
    private static func coverage(of pool: WorkerPool, count: Int) -> [Int] {
        let hits = Mutex([Int](repeating: 0, count: count))
        pool.run(extent: count) { chunk in
            for index in chunk { hits.withLock { $0[index] += 1 } }
        }
        return hits.withLock { $0 }
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
        let threads = Mutex<Set<ObjectIdentifier>>([])
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        // Each chunk waits until both threads have taken one (or ten seconds have passed), so the caller cannot run
        // the whole range alone before the worker wakes, however busy the machine.
        pool.run(extent: 64) { _ in
            threads.withLock { _ = $0.insert(ObjectIdentifier(Thread.current)) }
            while threads.withLock(\.count) < 2 && clock.now < deadline { Thread.sleep(forTimeInterval: 0.001) }
        }
        #expect(threads.withLock(\.count) == 2)
    }
}
