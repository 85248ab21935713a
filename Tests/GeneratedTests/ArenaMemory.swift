import NetcGraph
import NetcLoops

/// Four arenas allocated by hand, as a C caller of the generated code would: aligned, zeroed, and written
/// and read at byte offsets.
final class ArenaMemory {
    private let bases: [Arena: UnsafeMutableRawPointer]

    /// Allocates each arena with `sizes[arena]` bytes (at least one alignment unit), zero-filled.
    init(sizes: [Arena: Int]) {
        var bases: [Arena: UnsafeMutableRawPointer] = [:]
        for arena in Arena.allCases {
            let size = max(sizes[arena] ?? 0, MemoryPlan.alignment)
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
    subscript(arena: Arena) -> UnsafeMutableRawPointer {
        guard let base = bases[arena] else { preconditionFailure("every arena is allocated") }
        return base
    }

    /// Writes a float32 or int64 tensor's elements at `view`.
    func write(_ tensor: Tensor, at view: MemoryView) {
        let address = self[view.arena] + view.byteOffset
        for (index, value) in tensor.scalars.enumerated() {
            switch tensor.type.dtype {
            case .float32: address.storeBytes(of: Float(value), toByteOffset: index * 4, as: Float.self)
            case .int32: address.storeBytes(of: Int32(value), toByteOffset: index * 4, as: Int32.self)
            case .int64: address.storeBytes(of: Int64(value), toByteOffset: index * 8, as: Int64.self)
            }
        }
    }

    /// `count` floats from `view`, as `Double`s.
    func floats(at view: MemoryView, count: Int) -> [Double] {
        let address = self[view.arena] + view.byteOffset
        return (0..<count).map { Double(address.load(fromByteOffset: $0 * 4, as: Float.self)) }
    }
}
