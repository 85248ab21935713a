import NetcGraph

/// The four memory blocks a program runs on, allocated once, aligned and zeroed, and the typed reads and writes
/// of tensors and buffers in them: what compiled code and the loop evaluator both run on.
public final class ArenaSet {
    private let bases: [Arena: UnsafeMutableRawPointer]

    /// Allocates each arena with the plan's size (at least one alignment unit), zero-filled.
    public init(_ plan: MemoryPlan) {
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
    public func base(_ arena: Arena) -> UnsafeMutableRawPointer {
        guard let base = bases[arena] else { preconditionFailure("every arena is allocated") }
        return base
    }

    /// The address of a tensor's first element.
    public func address(of view: TensorView) -> UnsafeMutableRawPointer {
        base(view.location.arena) + view.location.byteOffset
    }

    /// Reads a tensor, converting its elements to `Double`.
    public func read(_ view: TensorView) -> Tensor {
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
    public func write(_ tensor: Tensor, to view: TensorView) {
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

extension ArenaSet {
    /// The address of a buffer's first element.
    public func address(of buffer: Buffer) -> UnsafeMutableRawPointer {
        base(buffer.location.arena) + buffer.location.byteOffset
    }

    /// A buffer's elements converted to `Double` (a `bool` buffer reads as 0 or 1).
    public func read(_ buffer: Buffer) -> [Double] {
        let address = address(of: buffer)
        return (0..<buffer.count).map { index in
            switch buffer.elementType {
            case .float32: Double(address.load(fromByteOffset: index * 4, as: Float.self))
            case .float64: address.load(fromByteOffset: index * 8, as: Double.self)
            case .int32: Double(address.load(fromByteOffset: index * 4, as: Int32.self))
            case .int64: Double(address.load(fromByteOffset: index * 8, as: Int64.self))
            case .bool: Double(address.load(fromByteOffset: index, as: UInt8.self))
            }
        }
    }

    /// Writes a buffer's elements, converting from `Double` (integers wrap as two's complement).
    public func write(_ scalars: [Double], to buffer: Buffer) {
        precondition(scalars.count == buffer.count, "\(scalars.count) values for \(buffer.name)")
        let address = address(of: buffer)
        for (index, value) in scalars.enumerated() {
            switch buffer.elementType {
            case .float32: address.storeBytes(of: Float(value), toByteOffset: index * 4, as: Float.self)
            case .float64: address.storeBytes(of: value, toByteOffset: index * 8, as: Double.self)
            case .int32:
                address.storeBytes(of: Int32(truncatingIfNeeded: Int64(value)), toByteOffset: index * 4, as: Int32.self)
            case .int64: address.storeBytes(of: Int64(value), toByteOffset: index * 8, as: Int64.self)
            case .bool: address.storeBytes(of: UInt8(value != 0 ? 1 : 0), toByteOffset: index, as: UInt8.self)
            }
        }
    }

    /// Checks the inputs against the plan's (types, and labels below `classes` when given) and writes them.
    ///
    /// - Throws: `InputError` for a missing or mistyped input or a label outside the classes; nothing is written
    ///   after the first wrong input.
    public func writeInputs(_ inputs: [InputKind: Tensor], of plan: MemoryPlan, classes: Int?) throws(InputError) {
        for (kind, view) in plan.inputs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard let tensor = inputs[kind] else { throw InputError.missingInput(kind, expected: view.type) }
            guard tensor.type == view.type else {
                throw InputError.inputTypeMismatch(kind, expected: view.type, actual: tensor.type)
            }
            if kind == .labels, let classes {
                for (index, label) in tensor.scalars.enumerated()
                where !(0..<Double(classes)).contains(label) || label != label.rounded() {
                    throw InputError.labelOutOfRange(index: index, value: label, classes: classes)
                }
            }
            write(tensor, to: view)
        }
    }
}
