import Foundation
import Synchronization
import Testing

@testable import NetcLLVM

@Suite("Worker pool")
struct WorkerPoolTests {
    /// How many times each index of `0..<count` was given to `body` by `pool.run(extent:_:)`, and the threads that
    /// ran chunks.
    private static func coverage(
        of pool: WorkerPool, count: Int, secondsPerIndex: Double = 0
    ) -> (hits: [Int], threads: Int) {
        let hits = Mutex([Int](repeating: 0, count: count))
        let threads = Mutex<Set<ObjectIdentifier>>([])
        pool.run(extent: count) { chunk in
            for index in chunk {
                hits.withLock { $0[index] += 1 }
                if secondsPerIndex > 0 { Thread.sleep(forTimeInterval: secondsPerIndex) }
            }
            threads.withLock { _ = $0.insert(ObjectIdentifier(Thread.current)) }
        }
        return (hits.withLock { $0 }, threads.withLock(\.count))
    }

    @Test(
        "Swift work runs each index exactly once, however the range compares with the threads",
        arguments: [0, 1, 2, 3, 100, 1001])
    func everyIndexOnce(count: Int) {
        let pool = WorkerPool(threads: 2)
        // Twice, so that the second run finds the workers as the first left them (spinning, then resting).
        for _ in 0..<2 {
            #expect(Self.coverage(of: pool, count: count).hits == [Int](repeating: 1, count: count))
        }
        pool.rest()
        #expect(Self.coverage(of: pool, count: count).hits == [Int](repeating: 1, count: count))
    }

    @Test("a long range is shared between the threads")
    func sharedBetweenThreads() {
        let pool = WorkerPool(threads: 2)
        // Indices that each take a while, so the worker joins in before the caller has taken every chunk.
        let (hits, threads) = Self.coverage(of: pool, count: 64, secondsPerIndex: 0.001)
        #expect(hits == [Int](repeating: 1, count: 64))
        #expect(threads == 2)
    }
}
