import NetcGraph
import NetcLLVM
import NetcLoops
import Testing

/// The max-pool gradient of windows tiling the input chooses each window's maximum with conditional moves in the
/// machine code of every target: code that branches on the comparisons is mispredicted about once per window (3×
/// slower on a Zen 4), and LLVM's conversion of conditional moves into branches, which did that on Haswell's
/// model, is turned off for every target machine (`NativeTarget.codeGeneratorOptions`).
@Suite struct BranchFreeMaxPoolGradientTests {
    /// The conditional jumps that read a float comparison's flags (`ucomiss` sets them as an unsigned integer
    /// comparison does, and the parity flag when unordered); the kernel's loops count with signed integers.
    static let floatBranches: Set<String> = ["ja", "jae", "jb", "jbe", "jnb", "jnbe", "jp", "jnp"]

    @Test(arguments: TargetName.allCases.filter { $0 != .native })
    func windowMaximumIsChosenWithoutBranches(target: TargetName) throws {
        let layers: [LayerSpec] = [
            LayerSpec(.conv2D(outChannels: 4, kernel: 3, stride: 1, padding: 1, bias: true)), LayerSpec(.relu),
            LayerSpec(.maxPool(size: 2, stride: 2)), LayerSpec(.flatten),
            LayerSpec(.linear(outFeatures: 3, bias: true)),
        ]
        let spec = NetworkSpec(
            name: "pooling", input: ImageShape(channels: 1, height: 14, width: 14), classes: 3, layers: layers)
        let model = try NetworkModel(spec, batchSize: 2, mode: .training)
        let graph = model.trainingStep(optimizer: .adam(AdamAttributes()))
        let program = LoopPipeline(target: target.target.description).program(for: graph)
        let kernel = try #require(program.kernels.first { $0.name.contains("maxpool_dx") })
        let mnemonics = try KernelMnemonics.of(kernel, in: program, target: target)
        #expect(mnemonics.contains { $0.hasPrefix("cmov") }, "\(target.rawValue): \(kernel.name) has no cmov")
        let branches = mnemonics.filter(Self.floatBranches.contains)
        #expect(branches.isEmpty, "\(target.rawValue): \(kernel.name) branches on comparisons: \(branches)")
    }
}
