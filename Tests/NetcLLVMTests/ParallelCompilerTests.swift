import NetcGraph
import NetcLoops
import NetcTestSupport
import Testing

@testable import NetcLLVM

/// Splitting the kernels into modules compiled on several threads: every kernel compiled exactly once and work
/// spread evenly. (That the code does not depend on the split is `DeterminismTests`: each thread count splits
/// differently.)
@Suite struct ParallelCompilerTests {
    static let program: LoopProgram = {
        let model = try! NetworkModel(ReferenceNetwork.spec, batchSize: 2, mode: .training)
        let graph = model.trainingStep(optimizer: .adam(AdamAttributes()))
        return LoopPipeline(reusesMemory: true, target: HostTarget.current.description).program(for: graph)
    }()

    @Test(arguments: [1, 2, 16, 1000])
    func everyKernelLandsInExactlyOneNonEmptyGroup(groups: Int) {
        let kernels = Self.program.kernels
        let parts = ParallelCompiler.partition(kernels, into: groups)
        #expect(parts.count == min(groups, kernels.count))
        #expect(parts.allSatisfy { !$0.isEmpty })
        #expect(parts.flatMap { $0 }.sorted() == Array(kernels.indices))
    }

    @Test func groupsAreWithinTheLargestKernelOfEachOther() {
        let kernels = Self.program.kernels
        let sizes = ParallelCompiler.partition(kernels, into: 4).map { $0.reduce(0) { $0 + kernels[$1].size } }
        let largest = kernels.map(\.size).max() ?? 0
        #expect(sizes.max()! - sizes.min()! <= largest, "\(sizes)")
    }
}
