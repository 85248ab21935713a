import NetcGraph

/// Something that runs a `LoopProgram` one kernel at a time and shows its buffers: the loop evaluator and the
/// JIT, so that a per-kernel check can compare them with each other and with the graph interpreter.
public protocol KernelStepping: AnyObject {
    /// The program it runs.
    var program: LoopProgram { get }
    /// Writes a run's inputs, ready for its first kernel.
    func writeInputs(_ inputs: [InputKind: Tensor]) throws
    /// Runs kernel number `index` over its whole parallel range.
    func runKernel(at index: Int) throws
    /// A buffer's current elements.
    func contents(of buffer: BufferID) -> [Double]
    /// Replaces a buffer's elements.
    func setContents(of buffer: BufferID, to scalars: [Double])
}
