import NetcTestSupport
import Testing

@testable import NetcGraph

/// How a DAG network is named, shaped and wired: the names PyTorch's modules would give its parameters, the
/// shapes of grouped convolutions and joins, and values read by several layers.
@Suite struct GeneralNetworkModelTests {
    let model: NetworkModel

    init() throws {
        model = try NetworkModel(GeneralNetwork.spec, batchSize: 2, mode: .training)
    }

    /// `name.body.K` and `name.shortcut.K` for a `Residual`, `name.B.K` for branch B of a `Concat`, as the PyTorch
    /// modules in README name them; a depthwise weight has one input channel.
    @Test func parametersFollowPyTorchNames() {
        let graph = model.graph
        let shapes = Dictionary(
            uniqueKeysWithValues: graph.parameters.map { (graph[$0].name, graph.type(of: $0).shape) })
        #expect(shapes["res1.body.0.weight"] == [4, 4, 3, 3])
        #expect(shapes["res1.body.3.bias"] == [4])
        #expect(shapes["res2.body.3.weight"] == [8, 1, 3, 3])
        #expect(shapes["res2.shortcut.0.weight"] == [8, 4, 1, 1])
        #expect(shapes["res2.shortcut.1.weight"] == [8])
        #expect(shapes["mix.0.0.weight"] == [3, 8, 1, 1])
        #expect(shapes["mix.1.0.weight"] == [2, 4, 3, 3])
        #expect(shapes["mix.2.1.bias"] == [2])
        #expect(shapes["12.weight"] == [6])
        let states = graph.states.map { graph[$0].name }
        #expect(states.contains("res2.shortcut.1.running_var") && states.contains("12.num_batches_tracked"))
    }

    /// The join rows of `netc compile`'s table, with the shapes their inputs agree on.
    @Test func joinsHaveRowsWithTheirShapes() {
        let shapes = Dictionary(uniqueKeysWithValues: model.layers.map { ($0.path, $0.outputShape) })
        #expect(shapes["res1"] == [4, 9, 10])
        #expect(shapes["res2"] == [8, 5, 5])
        #expect(shapes["mix"] == [3 + 2 + 2 + 8, 5, 5])
        #expect(shapes["8"] == [15, 3, 3])  // (5 + 2 - 2) / 2 + 1
        #expect(shapes["9"] == [15, 1, 1])
        let joins = model.layers.filter { ["res1", "res2", "mix"].contains($0.path) }
        #expect(joins.map(\.parameterCount) == [0, 0, 0])
        #expect(joins.map(\.description) == [#"Residual("res1")"#, #"Residual("res2")"#, #"Concat("mix")"#])
    }

    /// A residual block's input is read by its body and by the join (identity) or the shortcut; the concatenation
    /// reads the empty branch's input directly.
    @Test func joinsReadValuesThatOthersReadToo() throws {
        let graph = model.graph
        func value(named name: String) throws -> ValueID { try #require(graph.values.last { graph[$0].name == name }) }
        let res1 = try value(named: "res1")
        #expect(graph[res1].op == .add)
        let blockInput = graph[res1].inputs[1]
        #expect(graph.values.filter { graph[$0].inputs.contains(blockInput) }.count == 2)
        let mix = try value(named: "mix")
        #expect(graph[mix].op == .concat && graph[mix].inputs.count == 4)
        #expect(graph[graph[mix].inputs[3]].name == "6")  // the ReLU before the block, read as the fourth branch
    }
}

/// The PyTorch module netc writes for a model: each layer with PyTorch's arguments, joins as `Residual` and
/// `Concat` (whose equivalence with netc's numbers `PyTorchEquivalenceTests` checks with torch itself).
@Suite struct PyTorchSourceTests {
    @Test func everyLayerBecomesItsPyTorchModule() throws {
        let source = try NetworkModel(GeneralNetwork.spec, batchSize: 2, mode: .inference).pytorchSource
        for line in [
            #"("0", nn.Conv2d(2, 4, 3, padding=1, bias=False)),"#,
            #"("res1", Residual("#,
            #"("2", nn.GELU()),"#,
            #"("4", nn.LeakyReLU(0.1)),"#,
            #"("3", nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=8, bias=False)),"#,
            #"("mix", Concat(["#,
            #"("0", nn.MaxPool2d(3, stride=1, padding=1)),"#,
            "nn.Sequential(),",
            #"("8", nn.AvgPool2d(2, stride=2, padding=1)),"#,
            #"("9", nn.AdaptiveAvgPool2d(1)),"#,
            #"("12", nn.BatchNorm1d(6, eps=1e-05, momentum=0.1)),"#,
            #"("14", nn.Linear(6, 3)),"#,
        ] {
            #expect(source.contains(line), "missing \(line)")
        }
    }
}
