import Testing

@testable import NetcGraph

@Suite struct ProcessorsTests {
    @Test(arguments: [
        // (SLURM_CPUS_PER_TASK, active processors, threads)
        (nil, 8, 8), ("2", 8, 2), ("16", 8, 8), ("0", 8, 8), ("two", 8, 8), ("", 4, 4), (nil, 0, 1),
    ] as [(String?, Int, Int)])
    func threadsFollowSlurmsAllotmentWithinTheActiveProcessors(allotted: String?, active: Int, threads: Int) {
        let environment = allotted.map { ["SLURM_CPUS_PER_TASK": $0] } ?? [:]
        #expect(Processors.available(environment: environment, active: active) == threads)
    }
}
