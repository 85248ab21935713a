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

    /// In inference, the parameter-only kernels are the weight-packing ones (each reads one parameter and writes
    /// its packed copy), and what they write shares its bytes with no other buffer, so a later run may skip them.
    /// A training step has none: its parameters change every step.
    @Test func packedWeightsKeepTheirMemoryForTheWholeInferenceRun() throws {
        let inference = LoopPipeline(target: .haswell).program(
            for: try NetworkModel(ReferenceNetwork.spec, batchSize: 4, mode: .inference).graph)
        let packing = Set(inference.kernels.indices.filter { inference.kernels[$0].name.hasSuffix("_w_pack") })
        #expect(packing.count == 5)
        #expect(inference.parameterOnlyKernels == packing)
        let workspace = inference.buffers.indices.filter { inference.buffers[$0].location.arena == .workspace }
        for position in packing {
            for kept in inference.kernels[position].writtenBuffers {
                let keptRange = Self.bytes(of: inference.buffers[kept.index])
                for other in workspace where other != kept.index {
                    #expect(
                        !keptRange.overlaps(Self.bytes(of: inference.buffers[other])),
                        "\(inference.buffers[kept.index].name) shares bytes with \(inference.buffers[other].name)")
                }
            }
        }
        #expect(LoopPipeline(target: .haswell).program(for: Self.graph).parameterOnlyKernels.isEmpty)
    }

    private static func bytes(of buffer: Buffer) -> Range<Int> {
        buffer.location.byteOffset..<buffer.location.byteOffset + buffer.byteCount
    }
}
