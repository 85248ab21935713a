import NetcGraph
import NetcInterpreter
import Testing

/// A tiny graph for checking backward ops against finite differences of their forward ops.
///
/// The differentiable tensors are parameters of the fixture; the scalar loss is Σ rᵢ·yᵢ over the checked output
/// y with random weights r (the parameter `dy`, which is also the backward ops' incoming gradient), so a plain
/// sum cannot hide a transposed or misplaced gradient.
struct GradientProblem {
    /// The forward and backward nodes with the values of their sources.
    var fixture = GraphFixture()
    private var output: ValueID?
    private var gradients: [(name: String, value: ValueID)] = []

    /// The nodes (a shorthand for `fixture.graph`).
    var graph: Graph {
        get { fixture.graph }
        set { fixture.graph = newValue }
    }

    /// Adds a differentiable tensor, random in [−1, 1) unless `values` are given.
    mutating func variable(_ name: String, _ shape: [Int], values: [Double]? = nil) -> ValueID {
        let count = shape.reduce(1, *)
        let stream = UInt32(fixture.persistent.count)
        return fixture.tensor(name, shape, values ?? TestData.uniform(count: count, stream: stream))
    }

    /// Declares `y` the checked output and returns the loss weights `dy` (random, of y's type).
    mutating func lossWeights(for y: ValueID) -> ValueID {
        output = y
        return variable("dy", graph.type(of: y).shape)
    }

    /// Declares `value` the backward graph's gradient of the variable `name`.
    mutating func expectGradient(of name: String, at value: ValueID) {
        gradients.append((name, value))
    }

    /// Checks every declared gradient against central differences of the loss: norm-wise relative error under
    /// `tolerance`, and not all zeros.
    func check(tolerance: Double = 1e-6, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let output = try #require(output, "call lossWeights(for:) first", sourceLocation: sourceLocation)
        let weights = try #require(fixture.persistent["dy"], sourceLocation: sourceLocation).scalars
        let interpreter = Interpreter(precision: .float64)
        let analyticValues = try interpreter.evaluate(graph, inputs: fixture.inputs, persistent: fixture.persistent)
        for (name, gradient) in gradients {
            let point = try #require(fixture.persistent[name], sourceLocation: sourceLocation)
            let numeric = try numericGradient(
                of: { x in
                    var persistent = fixture.persistent
                    persistent[name] = Tensor(point.type, x)
                    let values = try interpreter.evaluate(graph, inputs: fixture.inputs, persistent: persistent)
                    return zip(values[output.index].scalars, weights).reduce(0) { $0 + $1.0 * $1.1 }
                }, at: point.scalars)
            let analytic = analyticValues[gradient.index].scalars
            let comparison = GradientComparison(analytic: analytic, numeric: numeric)
            #expect(
                comparison.relativeError < tolerance, "gradient of \(name): \(comparison)",
                sourceLocation: sourceLocation)
            #expect(analytic.contains { $0 != 0 }, "gradient of \(name) is all zeros", sourceLocation: sourceLocation)
        }
    }
}
