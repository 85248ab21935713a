import Foundation
import NetcGraph
import NetcLoops

extension KernelEvaluator {
    /// The value of an expression at the current loop variables and locals.
    func evaluate(_ expression: Expr) throws(LoopFault) -> Scalar {
        switch expression {
        case .integer(let value):
            return .int64(Int64(value))
        case .real(let value, let type):
            switch type {
            case .float32: return .float32(Float(value))
            case .float64: return .float64(value)
            case .int32, .int64, .bool: throw fault("the constant \(expression.text) is not a float")
            }
        case .variable(let variable):
            return .int64(variables[variable.index])
        case .local(let local):
            return locals[local.index]
        case .load(let buffer, let index):
            return read(buffer, at: try elementIndex(buffer, index))
        case .unary(let op, let operand):
            return try apply(op, try evaluate(operand), expression)
        case .binary(let op, let lhs, let rhs):
            return try apply(op, try evaluate(lhs), try evaluate(rhs), expression)
        case .multiplyAdd(let a, let b, let c):
            switch (try evaluate(a), try evaluate(b), try evaluate(c)) {
            case (.float32(let x), .float32(let y), .float32(let z)): return .float32(z.addingProduct(x, y))
            case (.float64(let x), .float64(let y), .float64(let z)): return .float64(z.addingProduct(x, y))
            default: throw fault("fma of operands that are not floats of one type: \(expression.text)")
            }
        case .compare(let op, let lhs, let rhs):
            return .bool(try compare(op, try evaluate(lhs), try evaluate(rhs), expression))
        case .select(let condition, let then, let otherwise):
            guard case .bool(let holds) = try evaluate(condition) else {
                throw fault("the condition of \(expression.text) is not a bool")
            }
            let (a, b) = (try evaluate(then), try evaluate(otherwise))
            guard a.type == b.type else {
                throw fault("select of \(a.type.rawValue) and \(b.type.rawValue): \(expression.text)")
            }
            return holds ? a : b
        case .convert(let operand, let type):
            guard let converted = try evaluate(operand).converted(to: type) else {
                throw fault("cannot convert to \(type.rawValue): \(expression.text)")
            }
            return converted
        case .philox(let key, let step, let stream, let index):
            guard let key = try evaluate(key).integer, let step = try evaluate(step).integer,
                let index = try evaluate(index).integer
            else { throw fault("philox of operands that are not integers: \(expression.text)") }
            let word = Philox(seed: UInt64(bitPattern: key)).word(
                stream: stream, step: UInt64(bitPattern: step), index: UInt32(truncatingIfNeeded: index))
            return .int64(Int64(word))
        }
    }

    private func apply(_ op: UnaryOperator, _ operand: Scalar, _ expression: Expr) throws(LoopFault) -> Scalar {
        switch operand {
        case .float32(let x):
            return .float32(Self.apply(op, x))
        case .float64(let x):
            return .float64(Self.apply(op, x))
        case .int32, .int64, .bool:
            throw fault("\(op.rawValue) of an operand that is not a float: \(expression.text)")
        }
    }

    /// The C library's `f32` functions, as the code generator calls them (`expf`, `tanhf`, ...).
    private static func apply(_ op: UnaryOperator, _ x: Float) -> Float {
        switch op {
        case .negate: -x
        case .exp: Foundation.exp(x)
        case .log: Foundation.log(x)
        case .sqrt: x.squareRoot()
        case .tanh: Foundation.tanh(x)
        case .erf: Foundation.erf(x)
        }
    }

    /// The C library's `f64` functions.
    private static func apply(_ op: UnaryOperator, _ x: Double) -> Double {
        switch op {
        case .negate: -x
        case .exp: Foundation.exp(x)
        case .log: Foundation.log(x)
        case .sqrt: x.squareRoot()
        case .tanh: Foundation.tanh(x)
        case .erf: Foundation.erf(x)
        }
    }
}

extension KernelEvaluator {
    /// A two-operand operation with the code generator's meaning: IEEE arithmetic in the operands' width, Swift's
    /// `min`/`max` (a NaN first operand stays), signed and wrapping integers, a logical right shift.
    func apply(_ op: BinaryOperator, _ a: Scalar, _ b: Scalar, _ expression: Expr) throws(LoopFault) -> Scalar {
        switch (a, b) {
        case (.float32(let x), .float32(let y)):
            guard let result = Self.apply(op, x, y) else { throw undefined(op, expression) }
            return .float32(result)
        case (.float64(let x), .float64(let y)):
            guard let result = Self.apply(op, x, y) else { throw undefined(op, expression) }
            return .float64(result)
        case (.int64(let x), .int64(let y)):
            guard let result = Self.apply(op, x, y) else { throw undefined(op, expression) }
            return .int64(result)
        case (.int32(let x), .int32(let y)):
            guard let result = Self.apply(op, Int64(x), Int64(y)) else { throw undefined(op, expression) }
            return .int32(Int32(truncatingIfNeeded: result))
        case (.bool(let x), .bool(let y)):
            switch op {
            case .and: return .bool(x && y)
            case .or: return .bool(x || y)
            case .xor: return .bool(x != y)
            case .add, .subtract, .multiply, .divide, .remainder, .minimum, .maximum, .power, .shiftLeft,
                .shiftRight:
                throw undefined(op, expression)
            }
        default:
            throw fault("\(op.rawValue) of \(a.type.rawValue) and \(b.type.rawValue): \(expression.text)")
        }
    }

    private func undefined(_ op: BinaryOperator, _ expression: Expr) -> LoopFault {
        fault("\(op.rawValue) is undefined for these operands: \(expression.text)")
    }

    private static func apply<F: BinaryFloatingPoint>(_ op: BinaryOperator, _ x: F, _ y: F) -> F? {
        switch op {
        case .add: x + y
        case .subtract: x - y
        case .multiply: x * y
        case .divide: x / y
        case .minimum: y < x ? y : x
        case .maximum: y > x ? y : x
        case .power: F(Foundation.pow(Double(x), Double(y)))
        case .remainder, .and, .or, .xor, .shiftLeft, .shiftRight: nil
        }
    }

    private static func apply(_ op: BinaryOperator, _ x: Int64, _ y: Int64) -> Int64? {
        switch op {
        case .add: x &+ y
        case .subtract: x &- y
        case .multiply: x &* y
        case .divide: y == 0 || (x == .min && y == -1) ? nil : x / y
        case .remainder: y == 0 || (x == .min && y == -1) ? nil : x % y
        case .minimum: x < y ? x : y
        case .maximum: x > y ? x : y
        case .and: x & y
        case .or: x | y
        case .xor: x ^ y
        case .shiftLeft: (0..<64).contains(y) ? x << y : nil
        case .shiftRight: (0..<64).contains(y) ? Int64(bitPattern: UInt64(bitPattern: x) >> UInt64(y)) : nil
        case .power: nil
        }
    }

    /// An ordered comparison for floats (false when either is NaN), signed for integers.
    func compare(_ op: CompareOperator, _ a: Scalar, _ b: Scalar, _ expression: Expr) throws(LoopFault) -> Bool {
        switch (a, b) {
        case (.float32(let x), .float32(let y)): return Self.compare(op, x, y)
        case (.float64(let x), .float64(let y)): return Self.compare(op, x, y)
        case (.int64(let x), .int64(let y)): return Self.compare(op, x, y)
        case (.int32(let x), .int32(let y)): return Self.compare(op, x, y)
        default: throw fault("\(op.rawValue) of \(a.type.rawValue) and \(b.type.rawValue): \(expression.text)")
        }
    }

    private static func compare<T: Comparable>(_ op: CompareOperator, _ x: T, _ y: T) -> Bool {
        switch op {
        case .equal: x == y
        // Ordered "not equal" (LLVM's `one`): false when either is NaN, unlike Swift's `!=`.
        case .notEqual: x < y || x > y
        case .less: x < y
        case .lessOrEqual: x <= y
        case .greater: x > y
        case .greaterOrEqual: x >= y
        }
    }
}
