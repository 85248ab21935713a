import NetcGraph
import NetcLoops

/// The four memory blocks a compiled program runs on, allocated once, aligned and zeroed, and the typed
/// reads and writes of tensors in them.
final class ArenaSet {
    private let bases: [Arena: UnsafeMutableRawPointer]

    /// Allocates each arena with the plan's size (at least one alignment unit), zero-filled.
    init(_ plan: MemoryPlan) {
        var bases: [Arena: UnsafeMutableRawPointer] = [:]
        for arena in Arena.allCases {
            let size = max(plan.arenaSizes[arena] ?? 0, MemoryPlan.alignment)
            let base = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryPlan.alignment)
            base.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            bases[arena] = base
        }
        self.bases = bases
    }

    deinit {
        for base in bases.values { base.deallocate() }
    }

    /// The start of an arena.
    func base(_ arena: Arena) -> UnsafeMutableRawPointer {
        guard let base = bases[arena] else { preconditionFailure("every arena is allocated") }
        return base
    }

    /// The address of a tensor's first element.
    func address(of view: TensorView) -> UnsafeMutableRawPointer {
        base(view.location.arena) + view.location.byteOffset
    }

    /// Reads a tensor, converting its elements to `Double`.
    func read(_ view: TensorView) -> Tensor {
        let address = address(of: view)
        let count = view.type.elementCount
        let scalars: [Double] =
            switch view.type.dtype {
            case .float32: (0..<count).map { Double(address.load(fromByteOffset: $0 * 4, as: Float.self)) }
            case .int32: (0..<count).map { Double(address.load(fromByteOffset: $0 * 4, as: Int32.self)) }
            case .int64: (0..<count).map { Double(address.load(fromByteOffset: $0 * 8, as: Int64.self)) }
            }
        return Tensor(view.type, scalars)
    }

    /// Writes a tensor of the view's type, converting to its element type (integers wrap as two's complement).
    func write(_ tensor: Tensor, to view: TensorView) {
        let address = address(of: view)
        for (index, value) in tensor.scalars.enumerated() {
            switch view.type.dtype {
            case .float32: address.storeBytes(of: Float(value), toByteOffset: index * 4, as: Float.self)
            case .int32:
                address.storeBytes(of: Int32(truncatingIfNeeded: Int64(value)), toByteOffset: index * 4, as: Int32.self)
            case .int64: address.storeBytes(of: Int64(value), toByteOffset: index * 8, as: Int64.self)
            }
        }
    }
}
