import Testing

@testable import NetcGraph

@Suite struct ConvolutionAttributesTests {
    // Kernel 3, stride 2, padding 1 over 7 pixels: 4 outputs; output o reads input 2·o − 1 + offset.
    @Test(arguments: [(0, 1..<4), (1, 0..<4), (2, 0..<3)])
    func outputRangeSkipsExactlyThePaddedPositions(offset: Int, expected: Range<Int>) {
        let conv = ConvolutionAttributes(kernel: 3, stride: 2, padding: 1)
        #expect(conv.outputLength(7) == 4)
        #expect(conv.outputRange(kernelOffset: offset, inputLength: 7) == expected)
        let inside = (0..<4).filter { (0..<7).contains(2 * $0 - 1 + offset) }
        #expect(Array(expected) == inside)
    }
}
