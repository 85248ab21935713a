import Foundation
import NetcGraph
import NetcInterpreter
import NetcLLVM

extension CheckCommand {
    /// The elements of inputs of sign-branching ops that compiled code and the interpreter put on opposite sides of
    /// zero while agreeing within the check's tolerance, running `graph` from the tensors `persistent` with those
    /// inputs exposed as outputs, in a compilation of their own (exposing a value can change what fuses, and the
    /// checked code stays as training compiles it). None when the graph has no such op.
    func signFlips(in graph: Graph, inputs: [InputKind: Tensor], persistent: [String: Tensor]) throws -> [SignFlip] {
        let branched = Set(graph.values.filter { graph[$0].op.branchesOnSign }.map { graph[$0].inputs[0] }).sorted()
        guard !branched.isEmpty else { return [] }
        func probeName(_ value: ValueID) -> String { "sign probe \(value.index)" }
        var probe = graph
        for value in branched { probe.outputs.append(GraphOutput(probeName(value), value)) }
        let reference = InterpreterExecutable(
            graph: probe, interpreter: Interpreter(precision: .float32), persistent: persistent)
        let compiled = try JITBackend(options: target.compilation(reusesMemory: false)).prepare(probe, seed: seed)
        for (name, value) in persistent { try compiled.setPersistent(named: name, to: value) }
        let (expected, actual) = (try reference.run(inputs), try compiled.run(inputs))
        return branched.flatMap { value -> [SignFlip] in
            guard let interpreted = expected[probeName(value)], let computed = actual[probeName(value)] else {
                return []
            }
            return SignFlip.flips(of: value, compiled: computed, reference: interpreted)
        }
    }

    /// Lines naming the flips (the first five), for standard output before the table.
    static func describe(_ flips: [SignFlip], in graph: Graph, prefix: String) -> String {
        let places = flips.prefix(5).map { flip in
            "'\(graph[flip.value].name)'[\(flip.element)]: "
                + String(format: "%.3e compiled, %.3e interpreted", flip.compiled, flip.reference)
        }
        let more = flips.count > places.count ? "; and \(flips.count - places.count) more" : ""
        return "note: \(prefix)\(flips.count) input element\(flips.count == 1 ? "" : "s") of ReLU or LeakyReLU "
            + "within rounding of zero fell on the other side in compiled code, which changes a gradient by a whole "
            + "element; the reference takes the compiled side there: " + places.joined(separator: "; ") + more
    }
}
