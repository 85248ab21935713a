@testable import NetcLLVM

/// Small functions built through the IR wrapper, as the code generator would build them.
enum TestKernels {
    /// `i32 add(i32 lhs, i32 rhs)`, wrapping on overflow.
    static func add(in module: borrowing IRModule) {
        add(named: "add", in: module)
    }

    /// `add` under another name.
    static func add(named name: String, in module: borrowing IRModule) {
        let int32 = module.int32Type
        let function = module.addFunction(
            named: name, returning: int32,
            parameters: [IRParameter(name: "lhs", type: int32), IRParameter(name: "rhs", type: int32)])
        let builder = IRBuilder(for: module)
        builder.position(atEndOf: function.appendBlock(named: "entry"))
        builder.return(builder.binary(.add, function.parameter(0), function.parameter(1), name: "sum"))
    }

    /// `void saxpy(float a, float* noalias x, float* noalias y, i64 n)`: `y[i] = a * x[i] + y[i]` for
    /// every `i < n`; `x` and `y` must be 32-byte aligned.
    static func saxpy(in module: borrowing IRModule) {
        let float = module.floatType
        let int64 = module.int64Type
        let array: [ParameterAttribute] = [.noAlias, .noCapture, .align(bytes: 32)]
        let function = module.addFunction(
            named: "saxpy", returning: module.voidType,
            parameters: [
                IRParameter(name: "a", type: float),
                IRParameter(name: "x", type: module.pointerType(to: float), attributes: array + [.readOnly]),
                IRParameter(name: "y", type: module.pointerType(to: float), attributes: array),
                IRParameter(name: "n", type: int64),
            ])
        let (a, x, y, n) = (function.parameter(0), function.parameter(1), function.parameter(2), function.parameter(3))
        let entry = function.appendBlock(named: "entry")
        let loop = function.appendBlock(named: "loop")
        let exit = function.appendBlock(named: "exit")
        let builder = IRBuilder(for: module)

        builder.position(atEndOf: entry)
        let isEmpty = builder.compare(.signedLessOrEqual, n, module.constant(0, int64), name: "empty")
        builder.branch(if: isEmpty, then: exit, else: loop)

        builder.position(atEndOf: loop)
        let index = builder.phi(int64, name: "i")
        let xElement = builder.elementPointer(float, base: x, index: index, name: "x.i")
        let yElement = builder.elementPointer(float, base: y, index: index, name: "y.i")
        let xValue = builder.load(float, from: xElement, alignment: 4, name: "xv")
        let yValue = builder.load(float, from: yElement, alignment: 4, name: "yv")
        let scaled = builder.binary(.floatMultiply, a, xValue, name: "ax")
        builder.store(builder.binary(.floatAdd, scaled, yValue, name: "sum"), to: yElement, alignment: 4)
        let next = builder.binary(.add, index, module.constant(1, int64), name: "next")
        builder.addIncoming([(module.constant(0, int64), entry), (next, loop)], to: index)
        builder.branch(if: builder.compare(.equal, next, n, name: "done"), then: exit, else: loop)

        builder.position(atEndOf: exit)
        builder.returnVoid()
    }

    /// `float exponential(float x)`, calling `llvm.exp.f32`, which compiles to a call of the C
    /// library's `expf`.
    static func exponential(in module: borrowing IRModule) {
        let float = module.floatType
        let function = module.addFunction(
            named: "exponential", returning: float, parameters: [IRParameter(name: "x", type: float)])
        let exp = module.intrinsic(named: "llvm.exp", overloadedOn: [float])
        let builder = IRBuilder(for: module)
        builder.position(atEndOf: function.appendBlock(named: "entry"))
        builder.return(builder.call(exp, [function.parameter(0)], name: "e"))
    }

    /// `void broken()`, whose only block lacks a terminator: malformed IR.
    static func broken(in module: borrowing IRModule) {
        let function = module.addFunction(named: "broken", returning: module.voidType, parameters: [])
        let builder = IRBuilder(for: module)
        builder.position(atEndOf: function.appendBlock(named: "entry"))
        _ = builder.binary(.add, module.constant(1, module.int32Type), module.constant(2, module.int32Type))
    }

    /// A new module named `name` holding the kernels that `kernels` add.
    static func module(named name: String = "test", _ kernels: (borrowing IRModule) -> Void...) -> IRModule {
        let module = IRModule(name: name)
        for addKernel in kernels {
            addKernel(module)
        }
        return module
    }
}

/// The C signatures of the kernels, for calling JIT-compiled code.
typealias AddFunction = @convention(c) (Int32, Int32) -> Int32
typealias SaxpyFunction = @convention(c) (Float, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int64) -> Void
typealias ExponentialFunction = @convention(c) (Float) -> Float
