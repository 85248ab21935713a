/// A loop variable of a kernel, by number; it counts through its loop's static range as an `i64`.
public struct LoopVariable: Hashable, Sendable {
    /// The variable's number within its kernel (printed `i0`, `i1`, ...).
    public let index: Int

    /// Creates a reference to loop variable number `index`.
    public init(_ index: Int) { self.index = index }
}

/// A scalar local of a kernel (an accumulator, a running maximum, a hoisted factor), by number.
public struct LocalID: Hashable, Sendable {
    /// The local's number within its kernel (printed `t0`, `t1`, ...).
    public let index: Int

    /// Creates a reference to local number `index`.
    public init(_ index: Int) { self.index = index }
}

/// A buffer of a `LoopProgram`, by number.
public struct BufferID: Hashable, Comparable, Sendable {
    /// The index in `LoopProgram.buffers`.
    public let index: Int

    /// Creates a reference to buffer number `index`.
    public init(_ index: Int) { self.index = index }

    public static func < (a: BufferID, b: BufferID) -> Bool { a.index < b.index }
}

/// Operations of one operand; `tanh` and `erf` are the C library's functions.
public enum UnaryOperator: String, Hashable, Sendable {
    case negate = "neg"
    case exp, log, sqrt, tanh, erf
}

/// Operations of two operands of the same type; integer forms are signed, `shiftRight` is logical, and `min`/`max`
/// follow Swift's: the second operand only when it compares below/above the first, so a NaN first operand stays.
public enum BinaryOperator: String, Hashable, Sendable {
    case add
    case subtract = "sub"
    case multiply = "mul"
    case divide = "div"
    case remainder = "rem"
    case minimum = "min"
    case maximum = "max"
    case power = "pow"
    case and, or, xor
    case shiftLeft = "shl"
    case shiftRight = "shr"
}

/// Comparisons of two operands of the same type, giving a `bool` (ordered for floats, signed for integers).
public enum CompareOperator: String, Hashable, Sendable {
    case equal = "eq"
    case notEqual = "ne"
    case less = "lt"
    case lessOrEqual = "le"
    case greater = "gt"
    case greaterOrEqual = "ge"
}

/// A scalar computation inside a kernel: constants, loop variables, locals, buffer loads and arithmetic.
///
/// Index expressions are built from the same cases (`i64` arithmetic on loop variables and constants), so
/// a schedule can read the affine structure of every access.
public indirect enum Expr: Hashable, Sendable {
    /// An `i64` constant.
    case integer(Int)
    /// A floating-point constant of type `float32` or `float64`.
    case real(Double, ScalarType)
    /// The current value of a loop variable (`i64`).
    case variable(LoopVariable)
    /// The current value of a local.
    case local(LocalID)
    /// Element `index` (an `i64`) of a buffer.
    case load(BufferID, index: Expr)
    /// A one-operand operation.
    case unary(UnaryOperator, Expr)
    /// A two-operand operation.
    case binary(BinaryOperator, Expr, Expr)
    /// `a · b + c`, which the code generator may fuse into one rounding (`llvm.fmuladd`).
    case multiplyAdd(Expr, Expr, Expr)
    /// A comparison.
    case compare(CompareOperator, Expr, Expr)
    /// `condition ? then : otherwise` without branching.
    case select(Expr, then: Expr, otherwise: Expr)
    /// A conversion to another scalar type (float widths, int widths, int ↔ float, bool → int).
    case convert(Expr, to: ScalarType)
    /// Word 0 of Philox4x32-10 keyed by `key` (i64) for counter (index, stream, step low, step high), as an
    /// `i64` in [0, 2³²): exactly `Philox(seed: key).word(stream:step:index:)`.
    case philox(key: Expr, step: Expr, stream: UInt32, index: Expr)
}

extension Expr {
    /// A `float32` constant.
    public static func f32(_ value: Double) -> Expr { .real(value, .float32) }
    /// A `float64` constant.
    public static func f64(_ value: Double) -> Expr { .real(value, .float64) }
    /// A loop variable's value.
    public static func at(_ variable: LoopVariable) -> Expr { .variable(variable) }

    /// The constant's value when this is an integer constant.
    var integerValue: Int? { if case .integer(let value) = self { value } else { nil } }

    /// The sum, folding integer constants and adding zero away.
    public static func + (lhs: Expr, rhs: Expr) -> Expr {
        switch (lhs.integerValue, rhs.integerValue) {
        case (let a?, let b?): .integer(a + b)
        case (0?, _): rhs
        case (_, 0?): lhs
        default: .binary(.add, lhs, rhs)
        }
    }

    /// The difference, folding integer constants.
    public static func - (lhs: Expr, rhs: Expr) -> Expr {
        switch (lhs.integerValue, rhs.integerValue) {
        case (let a?, let b?): .integer(a - b)
        case (_, 0?): lhs
        default: .binary(.subtract, lhs, rhs)
        }
    }

    /// The product, folding integer constants, ones and zeros.
    public static func * (lhs: Expr, rhs: Expr) -> Expr {
        switch (lhs.integerValue, rhs.integerValue) {
        case (let a?, let b?): .integer(a * b)
        case (0?, _), (_, 0?): .integer(0)
        case (1?, _): rhs
        case (_, 1?): lhs
        default: .binary(.multiply, lhs, rhs)
        }
    }

    /// The quotient (truncating for integers), folding integer constants and division by one.
    public static func / (lhs: Expr, rhs: Expr) -> Expr {
        switch (lhs.integerValue, rhs.integerValue) {
        case (let a?, let b?): .integer(a / b)
        case (_, 1?): lhs
        default: .binary(.divide, lhs, rhs)
        }
    }

    /// The remainder, folding integer constants and remainders by one.
    public static func % (lhs: Expr, rhs: Expr) -> Expr {
        switch (lhs.integerValue, rhs.integerValue) {
        case (let a?, let b?): .integer(a % b)
        case (_, 1?): .integer(0)
        default: .binary(.remainder, lhs, rhs)
        }
    }
}

extension Expr: ExpressibleByIntegerLiteral {
    /// An `i64` constant.
    public init(integerLiteral value: Int) { self = .integer(value) }
}
