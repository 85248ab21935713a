/// One compiled unit of work: a loop nest over buffers, named in the user's terms (`conv1_0_conv_relu_fwd`).
///
/// A kernel reads and writes only buffers (no values flow between kernels except through memory) and every
/// bound is static, so it can be scheduled, emitted as one function and timed on its own.
public struct Kernel: Hashable, Sendable {
    /// The function name: layer path and role, e.g. `conv2_3_conv_dw`, `adam_update`.
    public var name: String
    /// The graph values this kernel computes, by node name (for reading the printed IR and profiles).
    public var computes: [String]
    /// The type of each local, indexed by `LocalID.index`.
    public var locals: [ScalarType]
    /// How many loop variables the body uses.
    public var variableCount: Int
    /// The statements, run in order.
    public var body: [Stmt]
    /// Buffers whose stores of whole vectors and single elements bypass the caches (non-temporal stores,
    /// `Schedule.streamsOutput`). The kernel means the same with or without them: this only says how the code
    /// generator writes.
    public var streamedBuffers: Set<BufferID>

    /// Creates a kernel.
    public init(
        name: String, computes: [String], locals: [ScalarType], variableCount: Int, body: [Stmt],
        streamedBuffers: Set<BufferID> = []
    ) {
        self.name = name
        self.computes = computes
        self.locals = locals
        self.variableCount = variableCount
        self.body = body
        self.streamedBuffers = streamedBuffers
    }

    /// Every buffer the body reads or writes, in increasing id order: the kernel's arguments.
    public var buffers: [BufferID] {
        var found = Set<BufferID>()
        for statement in body { statement.collectBuffers(into: &found) }
        return found.sorted()
    }

    /// How many statements and expressions the body holds: a rough measure of the work of compiling it.
    public var size: Int {
        body.reduce(0) { $0 + $1.size }
    }

    /// The buffers the body stores to.
    public var writtenBuffers: Set<BufferID> {
        var found = Set<BufferID>()
        for statement in body { statement.collectStores(into: &found) }
        return found
    }
}

extension Stmt {
    func collectBuffers(into found: inout Set<BufferID>) {
        switch self {
        case .loop(let loop): for statement in loop.body { statement.collectBuffers(into: &found) }
        case .store(let buffer, let index, let value):
            found.insert(buffer)
            index.collectBuffers(into: &found)
            value.collectBuffers(into: &found)
        case .assign(_, let value): value.collectBuffers(into: &found)
        case .when(let condition, let body):
            condition.collectBuffers(into: &found)
            for statement in body { statement.collectBuffers(into: &found) }
        }
    }

    func collectStores(into found: inout Set<BufferID>) {
        switch self {
        case .loop(let loop): for statement in loop.body { statement.collectStores(into: &found) }
        case .store(let buffer, _, _): found.insert(buffer)
        case .assign: break
        case .when(_, let body): for statement in body { statement.collectStores(into: &found) }
        }
    }
}

extension Stmt {
    var size: Int {
        switch self {
        case .loop(let loop): 1 + loop.body.reduce(0) { $0 + $1.size }
        case .store(_, let index, let value): 1 + index.size + value.size
        case .assign(_, let value): 1 + value.size
        case .when(let condition, let body): 1 + condition.size + body.reduce(0) { $0 + $1.size }
        }
    }
}

extension Expr {
    var size: Int {
        switch self {
        case .integer, .real, .variable, .local: 1
        case .load(_, let index): 1 + index.size
        case .unary(_, let a), .convert(let a, _): 1 + a.size
        case .binary(_, let a, let b), .compare(_, let a, let b): 1 + a.size + b.size
        case .multiplyAdd(let a, let b, let c), .select(let a, let b, let c): 1 + a.size + b.size + c.size
        case .philox(let key, let step, _, let index): 1 + key.size + step.size + index.size
        }
    }

    func collectBuffers(into found: inout Set<BufferID>) {
        switch self {
        case .integer, .real, .variable, .local: break
        case .load(let buffer, let index):
            found.insert(buffer)
            index.collectBuffers(into: &found)
        case .unary(_, let a), .convert(let a, _): a.collectBuffers(into: &found)
        case .binary(_, let a, let b), .compare(_, let a, let b):
            a.collectBuffers(into: &found)
            b.collectBuffers(into: &found)
        case .multiplyAdd(let a, let b, let c), .select(let a, let b, let c):
            for operand in [a, b, c] { operand.collectBuffers(into: &found) }
        case .philox(let key, let step, _, let index):
            for operand in [key, step, index] { operand.collectBuffers(into: &found) }
        }
    }
}
