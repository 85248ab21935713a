import NetcInterpreter
import Testing

@testable import NetcGraph  // for StateUpdate's memberwise initialiser, which is not public

@Suite("Interpreter")
struct InterpreterTests {
    /// A graph reading images `[2, 3]`, labels `[2]` (scored by a loss over 3 classes) and the step.
    private static func lossGraph() -> Graph {
        var graph = Graph()
        let images = graph.add(.input(.images), [], type: .float(2, 3), name: "images")
        let labels = graph.add(.input(.labels), [], type: TensorType(.int32, [2]), name: "labels")
        _ = graph.add(.input(.step), [], type: .scalar(.int64), name: "step")
        let loss = graph.add(.softmaxCrossEntropy(labelSmoothing: 0), [images, labels], name: "loss")
        graph.outputs = [GraphOutput("loss", loss)]
        return graph
    }

    private static let validInputs: [InputKind: Tensor] = [
        .images: Tensor(.float(2, 3), [1, 2, 3, 4, 5, 6]),
        .labels: Tensor(TensorType(.int32, [2]), [0, 2]),
        .step: .scalar(1, .int64),
    ]

    /// Inputs that do not fit the graph are thrown errors naming the input and the types.
    @Test(
        arguments: [
            (InputKind.labels, nil, InputError.missingInput(.labels, expected: TensorType(.int32, [2]))),
            (
                .images, Tensor(.float(3, 2), [1, 2, 3, 4, 5, 6]),
                .inputTypeMismatch(.images, expected: .float(2, 3), actual: .float(3, 2))
            ),
            (
                .labels, Tensor(.float(2), [0, 1]),
                .inputTypeMismatch(.labels, expected: TensorType(.int32, [2]), actual: .float(2))
            ),
            (.step, .scalar(1.5, .int64), .nonIntegerInput(.step, index: 0, value: 1.5)),
            (.labels, Tensor(TensorType(.int32, [2]), [0, 3]), .labelOutOfRange(index: 1, value: 3, classes: 3)),
        ] as [(InputKind, Tensor?, InputError)])
    func invalidInputsAreThrown(kind: InputKind, value: Tensor?, error: InputError) throws {
        var inputs = Self.validInputs
        inputs[kind] = value
        let executable = try Interpreter().prepare(Self.lossGraph(), seed: 0)
        #expect(throws: error) { try executable.run(inputs) }
        #expect(try executable.run(Self.validInputs)["loss"] != nil)
    }

    /// The message names the input and both types.
    @Test func errorMessagesNameTheInput() {
        let error = InputError.inputTypeMismatch(.images, expected: .float(2, 3), actual: .float(3, 2))
        #expect(error.description == "input 'images' has type f32[3, 2]; the graph expects f32[2, 3]")
    }

    /// Every update is computed before any is written: two states whose updates swap them do swap.
    @Test func updatesAreAppliedTogether() throws {
        var graph = Graph()
        let a = graph.add(.state(.constant(1)), [], type: .float(1), name: "a")
        let b = graph.add(.state(.constant(2)), [], type: .float(1), name: "b")
        let sum = graph.add(.add, [a, b], name: "sum")
        graph.outputs = [GraphOutput("sum", sum)]
        graph.updates = [StateUpdate(target: a, newValue: b), StateUpdate(target: b, newValue: sum)]
        let executable = try Interpreter().prepare(graph, seed: 0)
        #expect(try executable.run([:])["sum"]?.scalars == [3])
        #expect(executable.persistent(named: "a")?.scalars == [2])
        #expect(executable.persistent(named: "b")?.scalars == [3])
        #expect(try executable.run([:])["sum"]?.scalars == [5])
    }

    /// `evaluate` returns every node's value in node order.
    @Test func evaluateReturnsEveryValue() throws {
        let values = try Interpreter().evaluate(Self.lossGraph(), inputs: Self.validInputs, persistent: [:])
        #expect(values.count == 4)
        #expect(values[0] == Self.validInputs[.images])
        #expect(values[1] == Self.validInputs[.labels])
    }

    /// Persistent tensors start from `initialValues(seed:)` and can only be replaced by a value of their type.
    @Test func persistentTensors() throws {
        var graph = Graph()
        graph.add(.parameter(.uniform(bound: 0.5)), [], type: .float(2, 2), name: "w")
        let executable = try Interpreter().prepare(graph, seed: 9)
        #expect(executable.persistent(named: "w") == graph.initialValues(seed: 9)["w"])
        #expect(throws: PersistentTensorError.self) { try executable.setPersistent(named: "v", to: .scalar(1)) }
        #expect(throws: PersistentTensorError.self) { try executable.setPersistent(named: "w", to: .scalar(1)) }
        try executable.setPersistent(named: "w", to: Tensor(.float(2, 2), [1, 2, 3, 4]))
        #expect(executable.persistent(named: "w")?.scalars == [1, 2, 3, 4])
    }

    /// float32 rounds every float32 result through `Float` (sources included) but leaves integers exact;
    /// float64 keeps every digit.
    @Test func float32RoundsResults() throws {
        var fixture = GraphFixture()
        let tenth = fixture.graph.add(.constant(0.1), [], type: .float(1), name: "tenth")
        let one = fixture.tensor("one", [1], [1])
        let tiny = fixture.tensor("tiny", [1], [1e-9])
        let sum = fixture.graph.add(.add, [one, tiny], name: "sum")
        // 2²⁴ + 1 is the first integer a Float cannot hold.
        let count = fixture.graph.add(.constant(16_777_217), [], type: .scalar(.int64), name: "count")
        let next = fixture.graph.add(.increment, [count], name: "next")

        #expect(try fixture.evaluate(tenth, precision: .float32) == [Double(Float(0.1))])
        #expect(try fixture.evaluate(sum, precision: .float32) == [1])
        #expect(try fixture.evaluate(next, precision: .float32) == [16_777_218])
        #expect(try fixture.evaluate(tenth, precision: .float64) == [0.1])
        #expect(try fixture.evaluate(sum, precision: .float64) == [1 + 1e-9])
    }

    /// A replaced element takes its new value before any later node reads it, and only that element changes: here
    /// the input of a ReLU, and of its gradient, moved from just below zero to just above (as `netc check` moves it
    /// to compiled code's side of the kink) opens both at that element alone.
    @Test func replacedElementsFeedLaterNodes() throws {
        var fixture = GraphFixture()
        let x = fixture.tensor("x", [3], [-1e-8, 2, -3])
        let dy = fixture.tensor("dy", [3], [10, 20, 30])
        let sum = fixture.graph.add(.add, [x, x], name: "sum")
        let relu = fixture.graph.add(.relu, [sum], name: "relu")
        let dx = fixture.graph.add(.reluBackward, [sum, dy], name: "relu.dx")
        let above = Double(Float(5e-8))
        let values = try Interpreter().evaluate(
            fixture.graph, inputs: [:], persistent: fixture.persistent, replacing: [sum: [0: above]])
        #expect(values[sum.index].scalars == [above, 4, -6])
        #expect(values[relu.index].scalars == [above, 4, 0])
        #expect(values[dx.index].scalars == [10, 20, 0])
        #expect(try fixture.evaluate(dx, precision: .float32) == [0, 20, 0])
    }

    /// The backend's name for `--backend`.
    @Test func name() {
        #expect(Interpreter().name == "interpreter")
    }
}
