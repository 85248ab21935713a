import NetcLoops

/// A loop program that cannot run as written: an access outside a buffer, a value of the wrong type, an
/// operation the loop IR does not define for its operands. Each is a bug of the lowering that produced the
/// program (the loop IR is only made by the compiler), named with the kernel and statement.
public struct LoopFault: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kernel that faulted.
    public var kernel: String
    /// What went wrong, with the statement or expression as text.
    public var message: String

    /// Creates a fault.
    public init(kernel: String, _ message: String) {
        self.kernel = kernel
        self.message = message
    }

    public var description: String { "kernel '\(kernel)': \(message)" }
}
