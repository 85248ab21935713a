extension Expr {
    /// The type of the expression's result, given the types of the kernel's locals and the program's buffers.
    public func type(locals: [ScalarType], buffers: [Buffer]) -> ScalarType {
        switch self {
        case .integer, .variable, .philox: .int64
        case .real(_, let type): type
        case .local(let local): locals[local.index]
        case .load(let buffer, _): buffers[buffer.index].elementType
        case .unary(_, let operand): operand.type(locals: locals, buffers: buffers)
        case .binary(_, let lhs, _): lhs.type(locals: locals, buffers: buffers)
        case .multiplyAdd(let a, _, _): a.type(locals: locals, buffers: buffers)
        case .compare: .bool
        case .select(_, let then, _): then.type(locals: locals, buffers: buffers)
        case .convert(_, let type): type
        }
    }
}
