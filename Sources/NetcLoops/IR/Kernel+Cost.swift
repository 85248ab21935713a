/// How much floating-point arithmetic a kernel executes: what `netc bench` divides by time for GFLOP/s.
///
/// Only executed arithmetic counts. A `when` counts its body only for the iterations where its condition holds, and
/// a `select` only the arm it picks, whenever the condition is index arithmetic (loop variables and constants), which
/// is how lowering writes padding and border tests: loops whose variables such conditions read are walked value by
/// value, the rest multiplied out. A condition that reads data counts its body (`when`) or its cheaper arm (`select`).
extension Kernel {
    /// The floating-point operations one run performs: each add, subtract, multiply, divide, minimum, maximum or
    /// unary function counts one, a multiply-add two; integer index arithmetic is free.
    public var floatingPointOperations: Int {
        var counter = OperationCounter()
        return counter.count(body, bindings: [:])
    }
}

/// Counts operations of statements under bindings of the loop variables that conditions read.
private struct OperationCounter {
    /// For each loop (by variable), the variables that index conditions in its body read.
    private var conditionVariables: [LoopVariable: Set<LoopVariable>] = [:]

    mutating func count(_ statements: [Stmt], bindings: [LoopVariable: Int]) -> Int {
        statements.reduce(0) { $0 + count($1, bindings: bindings) }
    }

    private mutating func count(_ statement: Stmt, bindings: [LoopVariable: Int]) -> Int {
        switch statement {
        case .loop(let loop):
            guard variables(inConditionsOf: loop).contains(loop.variable) else {
                return loop.tripCount * count(loop.body, bindings: bindings)
            }
            var total = 0
            var inner = bindings
            for value in loop.lower..<loop.upper {
                inner[loop.variable] = value
                total += count(loop.body, bindings: inner)
            }
            return total
        case .when(let condition, let body):
            if let holds = condition.indexValue(bindings), holds == 0 { return 0 }
            return count(body, bindings: bindings)
        case .store(_, let index, let value): return index.operations(bindings) + value.operations(bindings)
        case .assign(_, let value): return value.operations(bindings)
        }
    }

    /// The loop variables read by index conditions anywhere in `loop`'s body (cached).
    private mutating func variables(inConditionsOf loop: Loop) -> Set<LoopVariable> {
        if let known = conditionVariables[loop.variable] { return known }
        var found = Set<LoopVariable>()
        func visit(_ statement: Stmt) {
            switch statement {
            case .loop(let inner): inner.body.forEach(visit)
            case .when(let condition, let body):
                condition.collectConditionVariables(into: &found, isCondition: true)
                body.forEach(visit)
            case .store(_, let index, let value):
                index.collectConditionVariables(into: &found, isCondition: false)
                value.collectConditionVariables(into: &found, isCondition: false)
            case .assign(_, let value): value.collectConditionVariables(into: &found, isCondition: false)
            }
        }
        loop.body.forEach(visit)
        conditionVariables[loop.variable] = found
        return found
    }
}

extension Expr {
    /// The value of an index expression (integers, loop variables, comparisons; `bool` as 0 or 1) under
    /// `bindings`, or nil when it reads data, locals, or an unbound variable.
    func indexValue(_ bindings: [LoopVariable: Int]) -> Int? {
        switch self {
        case .integer(let value): return value
        case .variable(let variable): return bindings[variable]
        case .binary(let op, let a, let b):
            guard let x = a.indexValue(bindings), let y = b.indexValue(bindings) else { return nil }
            switch op {
            case .add: return x + y
            case .subtract: return x - y
            case .multiply: return x * y
            case .divide: return y == 0 ? nil : x / y
            case .remainder: return y == 0 ? nil : x % y
            case .minimum: return Swift.min(x, y)
            case .maximum: return Swift.max(x, y)
            case .and: return x & y
            case .or: return x | y
            case .xor: return x ^ y
            case .power, .shiftLeft, .shiftRight: return nil
            }
        case .compare(let op, let a, let b):
            guard let x = a.indexValue(bindings), let y = b.indexValue(bindings) else { return nil }
            switch op {
            case .equal: return x == y ? 1 : 0
            case .notEqual: return x != y ? 1 : 0
            case .less: return x < y ? 1 : 0
            case .lessOrEqual: return x <= y ? 1 : 0
            case .greater: return x > y ? 1 : 0
            case .greaterOrEqual: return x >= y ? 1 : 0
            }
        case .real, .local, .load, .unary, .multiplyAdd, .select, .convert, .philox: return nil
        }
    }

    /// Adds the loop variables that conditions inside the expression (of selects, or the expression itself when
    /// `isCondition`) read.
    fileprivate func collectConditionVariables(into found: inout Set<LoopVariable>, isCondition: Bool) {
        switch self {
        case .variable(let variable): if isCondition { found.insert(variable) }
        case .integer, .real, .local: break
        case .load(_, let index): index.collectConditionVariables(into: &found, isCondition: false)
        case .unary(_, let a), .convert(let a, _): a.collectConditionVariables(into: &found, isCondition: isCondition)
        case .binary(_, let a, let b), .compare(_, let a, let b):
            a.collectConditionVariables(into: &found, isCondition: isCondition)
            b.collectConditionVariables(into: &found, isCondition: isCondition)
        case .multiplyAdd(let a, let b, let c):
            for operand in [a, b, c] { operand.collectConditionVariables(into: &found, isCondition: false) }
        case .select(let condition, let a, let b):
            condition.collectConditionVariables(into: &found, isCondition: true)
            a.collectConditionVariables(into: &found, isCondition: false)
            b.collectConditionVariables(into: &found, isCondition: false)
        case .philox(let key, let step, _, let index):
            for operand in [key, step, index] { operand.collectConditionVariables(into: &found, isCondition: false) }
        }
    }

    /// Floating-point operations of one evaluation under `bindings`; an operation counts when one of its operands
    /// is a real constant, a conversion to a float, or a float operation itself.
    func operations(_ bindings: [LoopVariable: Int]) -> Int {
        floatCount(bindings).operations
    }

    /// (operations, whether the value is floating-point), judged without the kernel's type tables.
    private func floatCount(_ bindings: [LoopVariable: Int]) -> (operations: Int, isFloat: Bool) {
        switch self {
        case .integer, .variable, .philox: return (0, false)
        case .real, .local, .load: return (0, true)
        case .unary(_, let a): return (a.floatCount(bindings).operations + 1, true)
        case .binary(let op, let a, let b):
            let (x, y) = (a.floatCount(bindings), b.floatCount(bindings))
            let isFloat = x.isFloat && y.isFloat && !Self.integerOnly.contains(op)
            return (x.operations + y.operations + (isFloat ? 1 : 0), isFloat)
        case .multiplyAdd(let a, let b, let c):
            return ([a, b, c].reduce(2) { $0 + $1.floatCount(bindings).operations }, true)
        case .compare(_, let a, let b):
            return (a.floatCount(bindings).operations + b.floatCount(bindings).operations, false)
        case .select(let condition, let a, let b):
            let (x, y) = (a.floatCount(bindings), b.floatCount(bindings))
            let test = condition.floatCount(bindings).operations
            switch condition.indexValue(bindings) {
            case 1?: return (test + x.operations, x.isFloat)
            case 0?: return (test + y.operations, x.isFloat)
            default: return (test + Swift.min(x.operations, y.operations), x.isFloat)
            }
        case .convert(let a, let type): return (a.floatCount(bindings).operations, type.isFloatingPoint)
        }
    }

    private static let integerOnly: Set<BinaryOperator> = [.remainder, .and, .or, .xor, .shiftLeft, .shiftRight]
}
