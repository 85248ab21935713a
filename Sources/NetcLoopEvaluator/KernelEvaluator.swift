import NetcLoops

/// Runs one kernel of a `LoopProgram` statement by statement on the program's arenas, the plain way: what the
/// kernel means, without LLVM (as Glow's interpreter runs its low-level IR).
///
/// Every load and store is checked against its buffer's bounds and every value against the type the loop IR
/// gives it, so a lowering bug faults at the statement that shows it instead of reading or writing stray memory.
/// Floating-point arithmetic is done in the operands' own width (`f32` in `Float`), and a multiply-add is fused,
/// as the code generator lets LLVM fuse `llvm.fmuladd` on CPUs with FMA.
struct KernelEvaluator {
    let kernel: Kernel
    let buffers: [Buffer]
    /// The address of each buffer the kernel touches, by `BufferID.index` (nil for the others).
    let addresses: [UnsafeMutableRawPointer?]
    var variables: [Int64]
    var locals: [Scalar]

    init(_ kernel: Kernel, buffers: [Buffer], arenas: ArenaSet) {
        self.kernel = kernel
        self.buffers = buffers
        var addresses = [UnsafeMutableRawPointer?](repeating: nil, count: buffers.count)
        for id in kernel.buffers { addresses[id.index] = arenas.address(of: buffers[id.index]) }
        self.addresses = addresses
        variables = Array(repeating: 0, count: kernel.variableCount)
        locals = kernel.locals.map { Self.zero(of: $0) }
    }

    /// Runs the body with the parallel loops over `begin..<end` (the whole kernel when it has none: `0..<1`).
    mutating func run(begin: Int, end: Int) throws(LoopFault) {
        guard begin < end else { return }
        for statement in kernel.body { try run(statement, slice: begin..<end) }
    }

    private mutating func run(_ statement: Stmt, slice: Range<Int>) throws(LoopFault) {
        switch statement {
        case .loop(let loop):
            // A vector loop means its serial loop: it runs one iteration at a time here.
            let range = loop.isParallel ? slice : loop.lower..<loop.upper
            for value in range {
                variables[loop.variable.index] = Int64(value)
                for inner in loop.body { try run(inner, slice: slice) }
            }
        case .store(let buffer, let index, let value):
            let stored = try evaluate(value)
            let element = try elementIndex(buffer, index)
            guard stored.type == buffers[buffer.index].elementType else {
                let target = buffers[buffer.index].elementType.rawValue
                throw fault(
                    "stores \(stored.type.rawValue) into b\(buffer.index) of \(target): "
                        + "b\(buffer.index)[\(index.text)] = \(value.text)")
            }
            write(stored, to: buffer, at: element)
        case .assign(let local, let value):
            let assigned = try evaluate(value)
            guard assigned.type == kernel.locals[local.index] else {
                let target = kernel.locals[local.index].rawValue
                throw fault("assigns \(assigned.type.rawValue) to t\(local.index) of \(target): \(value.text)")
            }
            locals[local.index] = assigned
        case .when(let condition, let body):
            guard case .bool(let holds) = try evaluate(condition) else {
                throw fault("the condition \(condition.text) is not a bool")
            }
            if holds { for inner in body { try run(inner, slice: slice) } }
        }
    }

    /// The element number `index` evaluates to, checked against the buffer's bounds.
    func elementIndex(_ buffer: BufferID, _ index: Expr) throws(LoopFault) -> Int {
        guard let value = try evaluate(index).integer else { throw fault("the index \(index.text) is not an integer") }
        let count = buffers[buffer.index].count
        guard value >= 0 && value < count else {
            let name = "b\(buffer.index) '\(buffers[buffer.index].name)'"
            throw fault("index \(value) of \(name) (\(count) elements) is out of bounds: \(index.text)")
        }
        return Int(value)
    }

    /// Element `element` of a buffer.
    func read(_ buffer: BufferID, at element: Int) -> Scalar {
        guard let address = addresses[buffer.index] else { preconditionFailure("b\(buffer.index) is not an argument") }
        switch buffers[buffer.index].elementType {
        case .float32: return .float32(address.load(fromByteOffset: element * 4, as: Float.self))
        case .float64: return .float64(address.load(fromByteOffset: element * 8, as: Double.self))
        case .int32: return .int32(address.load(fromByteOffset: element * 4, as: Int32.self))
        case .int64: return .int64(address.load(fromByteOffset: element * 8, as: Int64.self))
        case .bool: return .bool(address.load(fromByteOffset: element, as: UInt8.self) != 0)
        }
    }

    private func write(_ value: Scalar, to buffer: BufferID, at element: Int) {
        guard let address = addresses[buffer.index] else { preconditionFailure("b\(buffer.index) is not an argument") }
        switch value {
        case .float32(let x): address.storeBytes(of: x, toByteOffset: element * 4, as: Float.self)
        case .float64(let x): address.storeBytes(of: x, toByteOffset: element * 8, as: Double.self)
        case .int32(let x): address.storeBytes(of: x, toByteOffset: element * 4, as: Int32.self)
        case .int64(let x): address.storeBytes(of: x, toByteOffset: element * 8, as: Int64.self)
        case .bool(let x): address.storeBytes(of: UInt8(x ? 1 : 0), toByteOffset: element, as: UInt8.self)
        }
    }

    /// A fault of this kernel.
    func fault(_ message: String) -> LoopFault { LoopFault(kernel: kernel.name, message) }

    private static func zero(of type: ScalarType) -> Scalar {
        switch type {
        case .float32: .float32(0)
        case .float64: .float64(0)
        case .int32: .int32(0)
        case .int64: .int64(0)
        case .bool: .bool(false)
        }
    }
}
