import NetcLoops

extension KernelEmitter {
    /// The type of an expression of this kernel.
    func type(of expression: Expr) -> ScalarType {
        expression.type(locals: kernel.locals, buffers: buffers)
    }

    /// Emits an expression and returns its value.
    func emit(_ expression: Expr, in module: borrowing IRModule) -> IRValue {
        switch expression {
        case .integer(let value):
            return module.constant(value, types.int64)
        case .real(let value, let type):
            return module.constant(value, types[type])
        case .variable(let variable):
            guard let value = variables[variable] else { preconditionFailure("i\(variable.index) is not open") }
            return value
        case .local(let local):
            let type = kernel.locals[local.index]
            return builder.load(types[type], from: locals[local.index], alignment: type.byteCount)
        case .load(let buffer, let index):
            let type = buffers[buffer.index].elementType
            return builder.load(types[type], from: elementPointer(buffer, index, in: module), alignment: type.byteCount)
        case .unary(let op, let operand):
            return apply(op, emit(operand, in: module), scalar: type(of: operand), in: module)
        case .binary(let op, let lhs, let rhs):
            return combine(
                op, emit(lhs, in: module), emit(rhs, in: module), isFloat: type(of: lhs).isFloatingPoint, in: module)
        case .multiplyAdd(let a, let b, let c):
            return multiplyAdd(emit(a, in: module), emit(b, in: module), emit(c, in: module), in: module)
        case .compare(let op, let lhs, let rhs):
            let isFloat = type(of: lhs).isFloatingPoint
            return builder.compare(comparison(op, isFloat: isFloat), emit(lhs, in: module), emit(rhs, in: module))
        case .select(let condition, let then, let otherwise):
            return builder.select(
                emit(condition, in: module), then: emit(then, in: module), else: emit(otherwise, in: module))
        case .convert(let operand, let target):
            return convert(emit(operand, in: module), from: type(of: operand), to: target, as: types[target])
        case .philox(let key, let step, let stream, let index):
            return philoxWord(
                key: emit(key, in: module), step: emit(step, in: module), stream: stream,
                index: emit(index, in: module), in: module)
        }
    }

    // MARK: Operations on values (scalars, or vectors of them inside vector loops)

    /// `op` applied to `value`, of scalar type `scalar` (or a vector of it).
    func apply(_ op: UnaryOperator, _ value: IRValue, scalar: ScalarType, in module: borrowing IRModule) -> IRValue {
        switch op {
        case .negate: return builder.floatNegate(value)
        case .exp where scalar == .float64: return exponential(value, in: module)
        case .tanh where scalar == .float64: return hyperbolicTangent(value, in: module)
        case .erf where scalar == .float64: return errorFunction(value, in: module)
        case .exp, .log, .sqrt:
            return builder.call(module.intrinsic(named: "llvm.\(op.rawValue)", overloadedOn: [value.type]), [value])
        case .tanh, .erf:
            // In `f32` (the activations compute in `f64`): LLVM 14 has no intrinsic for these, so call the C library
            // (`tanhf`, `erff`), lane by lane for a vector.
            let function = module.libraryFunction(
                named: scalar == .float32 ? op.rawValue + "f" : op.rawValue, of: types[scalar])
            guard value.type != types[scalar], let vector else { return builder.call(function, [value]) }
            var result = module.undefined(value.type)
            for lane in 0..<vector.count {
                let position = module.constant(lane, types.int32)
                let element = builder.call(function, [builder.extractElement(position, of: value)])
                result = builder.insertElement(element, into: result, at: position)
            }
            return result
        }
    }

    /// `a · b + c` as `llvm.fmuladd`, which the target fuses into one rounding where it has FMA.
    func multiplyAdd(_ a: IRValue, _ b: IRValue, _ c: IRValue, in module: borrowing IRModule) -> IRValue {
        builder.call(module.intrinsic(named: "llvm.fmuladd", overloadedOn: [a.type]), [a, b, c])
    }

    /// `a op b` for two values of the same type, floating-point or integer.
    func combine(
        _ op: BinaryOperator, _ a: IRValue, _ b: IRValue, isFloat: Bool, in module: borrowing IRModule
    ) -> IRValue {
        if isFloat {
            let operation: BinaryOperation
            switch op {
            case .add: operation = .floatAdd
            case .subtract: operation = .floatSubtract
            case .multiply: operation = .floatMultiply
            case .divide: operation = .floatDivide
            case .minimum, .maximum:
                // Swift's `min`/`max` (the interpreter's): `b` only when it is ordered and wins, so a NaN in `a`
                // passes through (ReLU keeps a NaN, as PyTorch does); this is one `minps`/`maxps` on x86.
                let pick = builder.compare(op == .minimum ? .floatLess : .floatGreater, b, a)
                return builder.select(pick, then: b, else: a)
            case .power:
                return builder.call(module.intrinsic(named: "llvm.pow", overloadedOn: [a.type]), [a, b])
            case .remainder, .and, .or, .xor, .shiftLeft, .shiftRight:
                preconditionFailure("\(op.rawValue) has no floating-point form")
            }
            return builder.binary(operation, a, b)
        }
        let operation: BinaryOperation
        switch op {
        case .add: operation = .add
        case .subtract: operation = .subtract
        case .multiply: operation = .multiply
        case .divide: operation = .signedDivide
        case .remainder: operation = .signedRemainder
        case .and: operation = .and
        case .or: operation = .or
        case .xor: operation = .xor
        case .shiftLeft: operation = .shiftLeft
        case .shiftRight: operation = .logicalShiftRight
        case .minimum, .maximum:
            let pick = builder.compare(op == .minimum ? .signedLess : .signedGreater, a, b)
            return builder.select(pick, then: a, else: b)
        case .power: preconditionFailure("pow has no integer form")
        }
        return builder.binary(operation, a, b)
    }

    /// LLVM's comparison for `op` on floating-point or integer operands.
    func comparison(_ op: CompareOperator, isFloat: Bool) -> Comparison {
        switch op {
        case .equal: isFloat ? .floatEqual : .equal
        case .notEqual: isFloat ? .floatNotEqual : .notEqual
        case .less: isFloat ? .floatLess : .signedLess
        case .lessOrEqual: isFloat ? .floatLessOrEqual : .signedLessOrEqual
        case .greater: isFloat ? .floatGreater : .signedGreater
        case .greaterOrEqual: isFloat ? .floatGreaterOrEqual : .signedGreaterOrEqual
        }
    }

    /// `value` (of scalar type `source`, or a vector of it) converted to `target`, of LLVM type `type`.
    func convert(_ value: IRValue, from source: ScalarType, to target: ScalarType, as type: IRType) -> IRValue {
        guard source != target else { return value }
        let conversion: Conversion
        switch (source.isFloatingPoint, target.isFloatingPoint) {
        case (true, true): conversion = target == .float64 ? .floatExtend : .floatTruncate
        case (false, true): conversion = .signedIntToFloat
        case (true, false): conversion = .floatToSignedInt
        case (false, false):
            if source == .bool {
                conversion = .zeroExtend
            } else {
                conversion = source.byteCount < target.byteCount ? .signExtend : .truncate
            }
        }
        return builder.convert(value, conversion, to: type)
    }
}
