import Testing

@testable import NetcGraph

@Suite struct GraphTextTests {
    static let tiny = NetworkSpec(
        name: "tiny", input: ImageShape(channels: 1, height: 4, width: 4), classes: 3,
        layers: [
            LayerSpec(.conv2D(outChannels: 2, kernel: 3, stride: 1, padding: 1, bias: true)), LayerSpec(.relu),
            LayerSpec(.flatten), LayerSpec(.linear(outFeatures: 3, bias: false)),
        ])

    @Test func printsOneNodePerLineWithTypesAndNames() throws {
        let model = try NetworkModel(Self.tiny, batchSize: 2, mode: .inference)
        #expect(
            model.graph.text == """
                %0 = input[images] : f32[2, 1, 4, 4]  // input
                %1 = parameter[uniform(±0.333)] : f32[2, 1, 3, 3]  // 0.weight
                %2 = parameter[uniform(±0.333)] : f32[2]  // 0.bias
                %3 = conv2D[kernel 3, stride 1, padding 1](%0, %1, %2) : f32[2, 2, 4, 4]  // 0
                %4 = relu(%3) : f32[2, 2, 4, 4]  // 1
                %5 = reshape(%4) : f32[2, 32]  // 2
                %6 = parameter[uniform(±0.177)] : f32[3, 32]  // 3.weight
                %7 = linear(%5, %6) : f32[2, 3]  // 3
                outputs: logits = %7

                """)
    }

    @Test func dotHasANodePerValueAndAnEdgePerInput() throws {
        let model = try NetworkModel(Self.tiny, batchSize: 2, mode: .inference)
        let dot = model.graph.dot
        #expect(dot.hasPrefix("digraph netc {"))
        let lines = dot.split(separator: "\n")
        #expect(lines.filter { $0.contains("shape=box") }.count == 4)
        #expect(lines.filter { $0.contains("shape=ellipse") }.count == 4)
        #expect(dot.contains("n0 -> n3;") && dot.contains("n6 -> n7;"))
    }
}
