import NetcGraph
import NetcTestSupport
import Testing

@testable import NetcLoops

@Suite struct MemoryPlanTests {
    static let graph: Graph = {
        let model = try? NetworkModel(ReferenceNetwork.spec, batchSize: 4, mode: .training)
        return model.map { $0.trainingStep(optimizer: .adam(AdamAttributes()), exposingGradients: true) } ?? Graph()
    }()

    @Test func reuseShrinksTheWorkspace() {
        let reused =
            LoopPipeline(reusesMemory: true, target: .haswell).program(for: Self.graph).memory.arenaSizes[.workspace]
            ?? 0
        let separate =
            LoopPipeline(reusesMemory: false, target: .haswell).program(for: Self.graph).memory.arenaSizes[.workspace]
            ?? 0
        #expect(reused > 0 && reused < separate * 3 / 4, "\(reused) bytes with reuse, \(separate) without")
    }

    /// Buffers that are alive in the same kernel never overlap, so the planner's reuse is sound.
    @Test func buffersOfOneKernelDoNotOverlap() {
        let program = LoopPipeline(target: .haswell).program(for: Self.graph)
        for kernel in program.kernels {
            let ranges = kernel.buffers.map { id in
                let buffer = program.buffers[id.index]
                return (
                    buffer.location.arena, buffer.location.byteOffset..<buffer.location.byteOffset + buffer.byteCount
                )
            }
            for (i, a) in ranges.enumerated() {
                for b in ranges[(i + 1)...] where a.0 == b.0 {
                    #expect(!a.1.overlaps(b.1), "\(kernel.name)")
                }
            }
        }
    }

    /// Gradients and Adam's moments are laid out exactly like the parameters.
    @Test func gradientsAndMomentsMirrorTheParameterArena() throws {
        let memory = LoopPipeline(target: .haswell).program(for: Self.graph).memory
        let weight = try #require(memory.persistent["conv2.0.weight"])
        let first = try #require(memory.persistent["conv1.0.weight.exp_avg"])
        let moment = try #require(memory.persistent["conv2.0.weight.exp_avg"])
        let gradient = try #require(memory.outputs["conv2.0.weight.grad"])
        #expect(moment.location.byteOffset - first.location.byteOffset == weight.location.byteOffset)
        #expect(gradient.location == MemoryView(arena: .workspace, byteOffset: weight.location.byteOffset))
        #expect(weight.location.byteOffset % MemoryPlan.alignment == 0)
    }
}
