import Foundation
import MnistCNNInference
import NetcGraph
import NetcLLVM
import NetcLoops
import Testing

/// The ahead-of-time code in `Generated/mnist-cnn/`: current with the compiler, and computing what the JIT
/// computes.
@Suite struct MnistCNNInferenceTests {
    @Test func generatedFilesAreCurrent() throws {
        let expected = [
            (GeneratedFiles.assemblyPath, try GeneratedFiles.code(emitting: "asm").assembly()),
            (GeneratedFiles.headerPath, try GeneratedFiles.code(emitting: "header").header()),
        ]
        for (path, text) in expected {
            let committed = try GeneratedFiles.committed(path)
            let isCurrent = Array(committed.utf8) == Array(text.utf8)
            let difference = Self.firstDifference(committed, text)
            #expect(isCurrent, "Generated/ is stale: run tools/regenerate (\(path) \(difference))")
        }
    }

    // The generated code exists only where its assembly is code (x86-64 ELF, `AssemblyGuardTests`); elsewhere
    // `mnist_cnn_forward` is not linked in.
    #if arch(x86_64) && os(Linux)
        @Test(.runsHaswellCode)
        func logitsEqualTheJITs() throws {
            let setUp = try GeneratedCall()
            let arenas = setUp.arenas
            let expected = try setUp.jitLogits(for: setUp.images)
            arenas.write(setUp.images, at: MemoryView(arena: .io, byteOffset: Int(MNIST_CNN_IMAGES_OFFSET)))
            mnist_cnn_forward(arenas[.workspace], arenas[.parameters], arenas[.state], arenas[.io])
            setUp.expectLogits(equal: expected)
        }

        /// `mnist_cnn_forward_prepare` once, then `mnist_cnn_forward_prepared` on two batches: each batch's logits
        /// are the JIT's.
        @Test(.runsHaswellCode)
        func weightsPackedOnceServeManyBatches() throws {
            let setUp = try GeneratedCall()
            let arenas = setUp.arenas
            mnist_cnn_forward_prepare(arenas[.workspace], arenas[.parameters], arenas[.state], arenas[.io])
            for batch in [setUp.images, Tensor(setUp.images.type, setUp.images.scalars.reversed())] {
                let expected = try setUp.jitLogits(for: batch)
                arenas.write(batch, at: MemoryView(arena: .io, byteOffset: Int(MNIST_CNN_IMAGES_OFFSET)))
                mnist_cnn_forward_prepared(arenas[.workspace], arenas[.parameters], arenas[.state], arenas[.io])
                setUp.expectLogits(equal: expected)
            }
        }

        /// The generated code's arenas and the JIT, with the same random parameters and state, and random images.
        private struct GeneratedCall {
            let jit: JITExecutable
            let arenas: ArenaMemory
            let images: Tensor

            init() throws {
                let graph = try GeneratedFiles.inferenceGraph()
                jit = try JITBackend().compile(graph, seed: 3)
                let plan = jit.program.memory
                MnistCNNInferenceTests.checkHeader(against: plan)
                var random = SplitMix64(seed: 42)
                let persistent = MnistCNNInferenceTests.randomPersistentValues(graph, &random)
                for (name, value) in persistent { try jit.setPersistent(named: name, to: value) }
                let imagesView = try #require(plan.inputs[.images])
                images = Tensor(imagesView.type, (0..<imagesView.type.elementCount).map { _ in random.uniform(-1, 2) })
                arenas = ArenaMemory(sizes: [
                    .workspace: Int(MNIST_CNN_WORKSPACE_BYTES), .parameters: Int(MNIST_CNN_PARAMETERS_BYTES),
                    .state: Int(MNIST_CNN_STATE_BYTES), .io: Int(MNIST_CNN_IO_BYTES),
                ])
                for (name, value) in persistent {
                    arenas.write(value, at: try #require(plan.persistent[name]).location)
                }
            }

            /// The JIT's logits for `images`.
            func jitLogits(for images: Tensor) throws -> Tensor {
                try #require(try jit.run([.images: images])["logits"])
            }

            /// The generated code's logits after a call, against the JIT's.
            ///
            /// The JIT compiles for the host's CPU, the generated code for Haswell; with no reassociating fast-math
            /// the two agree far below float32's precision (bit for bit on the machines tried), so a difference of
            /// 1e-6 relative to the larger of |logit| and 1 is the bound.
            func expectLogits(equal expected: Tensor) {
                let logits = arenas.floats(
                    at: MemoryView(arena: .workspace, byteOffset: Int(MNIST_CNN_LOGITS_OFFSET)),
                    count: expected.scalars.count)
                let worst = zip(logits, expected.scalars).map { abs($0 - $1) / max(abs($1), 1) }.max() ?? 0
                #expect(worst <= 1e-6, "largest relative difference of a logit \(worst)")
                #expect(expected.scalars.contains { abs($0) > 0.1 }, "the logits are not all near zero")
            }
        }
    #endif

    /// The header's sizes and offsets are the memory plan's (the JIT's, from the same compiler).
    static func checkHeader(against plan: MemoryPlan) {
        #expect(MNIST_CNN_BATCH_SIZE == 100)
        #expect(Int(MNIST_CNN_ALIGNMENT) == MemoryPlan.alignment)
        let sizes: [Arena: Int32] = [
            .workspace: MNIST_CNN_WORKSPACE_BYTES, .parameters: MNIST_CNN_PARAMETERS_BYTES,
            .state: MNIST_CNN_STATE_BYTES, .io: MNIST_CNN_IO_BYTES,
        ]
        for (arena, size) in sizes { #expect(Int(size) == plan.arenaSizes[arena], "size of \(arena)") }
        #expect(plan.inputs[.images]?.location == MemoryView(arena: .io, byteOffset: Int(MNIST_CNN_IMAGES_OFFSET)))
        #expect(
            plan.outputs["logits"]?.location
                == MemoryView(arena: .workspace, byteOffset: Int(MNIST_CNN_LOGITS_OFFSET)))
        let named: [(String, Arena, Int32)] = [
            ("conv1.0.weight", .parameters, MNIST_CNN_CONV1_0_WEIGHT_OFFSET),
            ("conv2.5.bias", .parameters, MNIST_CNN_CONV2_5_BIAS_OFFSET),
            ("fc.0.weight", .parameters, MNIST_CNN_FC_0_WEIGHT_OFFSET),
            ("conv1.2.running_mean", .state, MNIST_CNN_CONV1_2_RUNNING_MEAN_OFFSET),
            ("conv3.2.running_var", .state, MNIST_CNN_CONV3_2_RUNNING_VAR_OFFSET),
        ]
        for (name, arena, offset) in named {
            #expect(plan.persistent[name]?.location == MemoryView(arena: arena, byteOffset: Int(offset)), "\(name)")
        }
    }

    /// Every parameter and state tensor with random values: the initialisers' draws for weights and biases,
    /// and for what starts constant (BatchNorm's scale, shift and running statistics) values around it, so
    /// that normalisation is not the identity. Counters keep their initial values.
    static func randomPersistentValues(_ graph: Graph, _ random: inout SplitMix64) -> [String: Tensor] {
        graph.initialValues(seed: 5).mapValues { tensor in
            guard tensor.type.dtype == .float32, let first = tensor.scalars.first,
                tensor.scalars.allSatisfy({ $0 == first })
            else { return tensor }
            return Tensor(tensor.type, tensor.scalars.map { $0 + random.uniform(-0.5, 0.5) })
        }
    }

    /// Where two texts first differ, for the failure message.
    static func firstDifference(_ committed: String, _ regenerated: String) -> String {
        let old = committed.split(separator: "\n", omittingEmptySubsequences: false)
        let new = regenerated.split(separator: "\n", omittingEmptySubsequences: false)
        guard let line = (0..<min(old.count, new.count)).first(where: { old[$0] != new[$0] }) else {
            return "has \(old.count) lines, netc now writes \(new.count)"
        }
        return "line \(line + 1): committed '\(old[line])', netc now writes '\(new[line])'"
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only where the generated code can run: it is compiled for Haswell (AVX2 and FMA).
    static var runsHaswellCode: Self {
        .enabled(
            if: HostTarget.current.hasFeature("avx2") && HostTarget.current.hasFeature("fma"),
            "the generated code is for Haswell: it needs AVX2 and FMA")
    }
}
