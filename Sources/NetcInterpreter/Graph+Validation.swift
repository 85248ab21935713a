import NetcGraph

extension Graph {
    /// Checks that every input the graph reads is given with its source's type, that integer inputs hold
    /// integers, and that labels are classes of the logits they are scored against.
    func validate(inputs: [InputKind: Tensor]) throws(InputError) {
        for value in values {
            guard case .input(let kind) = self[value].op else { continue }
            let expected = type(of: value)
            guard let tensor = inputs[kind] else { throw .missingInput(kind, expected: expected) }
            guard tensor.type == expected else {
                throw .inputTypeMismatch(kind, expected: expected, actual: tensor.type)
            }
            if expected.dtype != .float32,
                let index = tensor.scalars.firstIndex(where: { !$0.isInteger(of: expected.dtype) })
            {
                throw .nonIntegerInput(kind, index: index, value: tensor.scalars[index])
            }
            if kind == .labels, let classes = labelClasses,
                let index = tensor.scalars.firstIndex(where: { $0 < 0 || $0 >= Double(classes) })
            {
                throw .labelOutOfRange(index: index, value: tensor.scalars[index], classes: classes)
            }
        }
    }

    /// Checks that every parameter and state tensor is given with its source's type.
    func validate(persistent: [String: Tensor]) throws(PersistentTensorError) {
        for value in parameters + states {
            let node = self[value]
            guard let tensor = persistent[node.name] else { throw .missing(name: node.name, expected: node.type) }
            guard tensor.type == node.type else {
                throw .typeMismatch(name: node.name, expected: node.type, actual: tensor.type)
            }
        }
    }
}

extension Double {
    /// Whether the value is an integer that the given integer element type can hold.
    fileprivate func isInteger(of dtype: DType) -> Bool {
        let bound = dtype == .int32 ? 0x1p31 : 0x1p63
        return rounded() == self && self >= -bound && self < bound
    }
}
