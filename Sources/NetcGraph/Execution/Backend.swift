import Foundation

/// A graph prepared for running on one backend, holding its persistent tensors (parameters, running
/// statistics, optimizer moments) between runs.
///
/// The training loop, checkpoints and tests see every backend through this seam, so switching between the
/// interpreter and compiled code is one value.
public protocol Executable: AnyObject {
    /// The graph this executable runs.
    var graph: Graph { get }

    /// Whether `run` checks every kernel's (or node's) results as it goes and throws `NumericalFault` at the
    /// first NaN or infinity (`--check-numerics`): slower, for finding where a model blows up.
    var checksNumerics: Bool { get set }

    /// Runs the graph once: reads the inputs, computes the outputs, then applies the graph's state updates.
    ///
    /// - Parameter inputs: a tensor for every `.input` source of the graph, of the source's type.
    /// - Returns: the graph's named outputs.
    func run(_ inputs: [InputKind: Tensor]) throws -> [String: Tensor]

    /// The current value of a persistent tensor (a `.parameter` or `.state` source), by its name.
    func persistent(named name: String) -> Tensor?

    /// Replaces a persistent tensor's value; the tensor must have the source's type.
    func setPersistent(named name: String, to value: Tensor) throws

    /// Runs `body` over `0..<count` in chunks, on every thread this executable computes with, and returns when all
    /// chunks are done: Swift work between runs, such as preparing the next batch. Chunks may run in any order on
    /// any thread, so each must write only its own part of any shared memory.
    func runOnThreads(count: Int, _ body: (Range<Int>) -> Void)
}

extension Executable {
    /// `body` over `Processors.available` contiguous parts of `0..<count` at once.
    public func runOnThreads(count: Int, _ body: (Range<Int>) -> Void) {
        let parts = max(1, min(count, Processors.available))
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                body(part * count / parts..<(part + 1) * count / parts)
            }
        }
    }
}

/// A way to run graphs: the interpreter (the reference) or a compiler.
public protocol Backend: Sendable {
    /// A short name for messages and `--backend`: `interpreter`, `jit`.
    var name: String { get }

    /// Prepares a graph to run, with its persistent tensors set to their initial values for `seed`.
    func prepare(_ graph: Graph, seed: UInt64) throws -> any Executable

    /// Prepares an inference graph for `batch` images, given a way to build it for any batch size (`graph(n)`: the
    /// same network's inference graph for n images), so a backend may run the batch in smaller pieces.
    func prepareInference(batch: Int, seed: UInt64, graph: (Int) throws -> Graph) throws -> any Executable
}

extension Backend {
    /// `prepare(graph(batch), seed:)`: the whole batch in one pass.
    public func prepareInference(batch: Int, seed: UInt64, graph: (Int) throws -> Graph) throws -> any Executable {
        try prepare(graph(batch), seed: seed)
    }
}

/// A persistent tensor name that is not in the graph, or a value of the wrong type.
public struct PersistentTensorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The tensor's name.
    public var name: String
    /// What was wrong.
    public var message: String

    /// Creates an error.
    public init(name: String, message: String) {
        self.name = name
        self.message = message
    }

    public var description: String { "tensor '\(name)': \(message)" }
}

extension Executable {
    /// Sets every persistent tensor back to its initial value for `seed`, as `Backend.prepare` does: a compiled
    /// graph can then start a new, independent training run without compiling again.
    public func resetPersistent(seed: UInt64) throws {
        for (name, value) in graph.initialValues(seed: seed) {
            try setPersistent(named: name, to: value)
        }
    }
}
