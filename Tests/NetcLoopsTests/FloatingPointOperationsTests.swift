import NetcGraph
import Testing

@testable import NetcLoops

/// `Kernel.floatingPointOperations` counts the arithmetic a kernel executes, derived here by hand: a padded,
/// strided convolution multiplies and adds once per (output pixel, kernel tap inside the image, input channel, output
/// channel), whichever of its three kernels computes it, and the taps that fall in the padding are not counted.
@Suite struct FloatingPointOperationsTests {
    /// 2 · N · Cin · Cout · Σ over output pixels of the taps that read inside the image.
    static func executedMultiplyAdds(input: [Int], outChannels: Int, _ conv: ConvolutionAttributes) -> Int {
        let (height, width) = (input[2], input[3])
        var taps = 0
        for oy in 0..<conv.outputLength(height) {
            for ox in 0..<conv.outputLength(width) {
                for ky in 0..<conv.kernel where (0..<height).contains(oy * conv.stride - conv.padding + ky) {
                    for kx in 0..<conv.kernel where (0..<width).contains(ox * conv.stride - conv.padding + kx) {
                        taps += 1
                    }
                }
            }
        }
        return 2 * input[0] * input[1] * outChannels * taps
    }

    @Test(arguments: KernelSignature.Role.allCases, [(1, 0), (2, 1), (1, 2)])
    func convolutionsCountOnlyTheTapsInsideTheImage(role: KernelSignature.Role, strideAndPadding: (Int, Int)) {
        let conv = ConvolutionAttributes(kernel: 3, stride: strideAndPadding.0, padding: strideAndPadding.1)
        let (input, outChannels) = ([2, 5, 9, 8], 20)
        let signature = KernelSignature(convolution: role, input: input, outChannels: outChannels, conv)
        let program = LoopPipeline(target: .haswell).program(for: signature.graph)
        let main = program.kernels.filter { !$0.name.hasSuffix("_pack") }
        #expect(main.count == 1)
        let expected = Self.executedMultiplyAdds(input: input, outChannels: outChannels, conv)
        // (The weight gradient's two images share one partial sum at these sizes, so it adds no running total.)
        #expect(main.first?.floatingPointOperations == expected, "\(signature)")
    }
}
