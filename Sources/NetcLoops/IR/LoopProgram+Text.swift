extension LoopProgram {
    /// The program as text (`netc compile --emit loops`): its buffers with their places, then each kernel's
    /// loop nest, one statement a line.
    ///
    ///     buffer b2 conv1.0.weight: f32[288] @parameters+0
    ///     kernel conv1_0_conv_relu_fwd(b0, b2, b3, b9) streams b9  // conv1.0, conv1.1
    ///       for i0 in 0..<4 {
    ///         b9[i0 * 25088 + i1] = max(t0, 0.0)
    public var text: String {
        var lines = ["program \(entryName)"]
        for (arena, size) in memory.arenaSizes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            lines.append("arena \(arena.rawValue): \(size) bytes")
        }
        for (index, buffer) in buffers.enumerated() {
            lines.append(
                "buffer b\(index) \(buffer.name): \(buffer.elementType.rawValue)[\(buffer.count)] "
                    + "@\(buffer.location.arena.rawValue)+\(buffer.location.byteOffset)")
        }
        for kernel in kernels {
            lines.append("")
            lines += kernel.textLines
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Kernel {
    /// The kernel's header, locals and body, indented by nesting.
    var textLines: [String] {
        let arguments = buffers.map { "b\($0.index)" }.joined(separator: ", ")
        let streamed = streamedBuffers.sorted().map { "b\($0.index)" }.joined(separator: ", ")
        let streams = streamed.isEmpty ? "" : " streams \(streamed)"
        var lines = ["kernel \(name)(\(arguments))\(streams)  // \(computes.joined(separator: ", "))"]
        if !locals.isEmpty {
            let declared = locals.enumerated().map { "t\($0.offset): \($0.element.rawValue)" }
            lines.append("  locals \(declared.joined(separator: ", "))")
        }
        for statement in body { statement.append(to: &lines, indent: "  ") }
        return lines
    }
}

extension Stmt {
    func append(to lines: inout [String], indent: String) {
        switch self {
        case .loop(let loop):
            let kind: String
            switch loop.kind {
            case .serial: kind = ""
            case .parallel: kind = " parallel"
            case .vector(let lanes): kind = " vector(\(lanes))"
            }
            lines.append("\(indent)for i\(loop.variable.index) in \(loop.lower)..<\(loop.upper)\(kind) {")
            for statement in loop.body { statement.append(to: &lines, indent: indent + "  ") }
            lines.append("\(indent)}")
        case .store(let buffer, let index, let value):
            lines.append("\(indent)b\(buffer.index)[\(index.text)] = \(value.text)")
        case .assign(let local, let value):
            lines.append("\(indent)t\(local.index) = \(value.text)")
        case .when(let condition, let body):
            lines.append("\(indent)if \(condition.text) {")
            for statement in body { statement.append(to: &lines, indent: indent + "  ") }
            lines.append("\(indent)}")
        }
    }
}

extension Expr {
    /// The expression in infix notation, fully parenthesised below the top level.
    public var text: String {
        switch self {
        case .integer(let value): String(value)
        case .real(let value, let type): type == .float32 ? "\(Float(value))" : "\(value)d"
        case .variable(let variable): "i\(variable.index)"
        case .local(let local): "t\(local.index)"
        case .load(let buffer, let index): "b\(buffer.index)[\(index.text)]"
        case .unary(let op, let a): "\(op.rawValue)(\(a.text))"
        case .binary(let op, let a, let b):
            switch op {
            case .add: "(\(a.text) + \(b.text))"
            case .subtract: "(\(a.text) - \(b.text))"
            case .multiply: "\(a.text) * \(b.text)"
            case .divide: "\(a.text) / \(b.text)"
            case .remainder: "\(a.text) % \(b.text)"
            case .minimum, .maximum, .power, .and, .or, .xor, .shiftLeft, .shiftRight:
                "\(op.rawValue)(\(a.text), \(b.text))"
            }
        case .multiplyAdd(let a, let b, let c): "fma(\(a.text), \(b.text), \(c.text))"
        case .compare(let op, let a, let b): "\(op.rawValue)(\(a.text), \(b.text))"
        case .select(let c, let a, let b): "select(\(c.text), \(a.text), \(b.text))"
        case .convert(let a, let type): "\(type.rawValue)(\(a.text))"
        case .philox(let key, let step, let stream, let index):
            "philox(\(key.text), \(step.text), \(stream), \(index.text))"
        }
    }
}
