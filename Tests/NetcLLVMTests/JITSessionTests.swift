import Foundation
import Testing

@testable import NetcLLVM

@Suite("JITSession: compiling modules in process and calling them")
struct JITSessionTests {
    // A function's code lives as long as its session: every call below keeps the session alive until it returns.
    @Test(
        "add(i32, i32) returns the wrapped sum",
        arguments: [
            (2, 3, 5), (-7, 4, -3), (Int32.max, 1, Int32.min),
        ] as [(Int32, Int32, Int32)])
    func add(lhs: Int32, rhs: Int32, sum: Int32) throws {
        let jit = try JITSession()
        try jit.add(TestKernels.module(TestKernels.add))
        let add = unsafeBitCast(try jit.address(of: "add"), to: AddFunction.self)
        withExtendedLifetime(jit) { #expect(add(lhs, rhs) == sum) }
    }

    @Test(
        "saxpy computes a * x + y, optimised or not, for every length",
        arguments: [OptimizationLevel.off, .aggressive], [0, 1, 8, 37, 1000])
    func saxpy(level: OptimizationLevel, count: Int) throws {
        var module = TestKernels.module(TestKernels.saxpy)
        try module.optimize(level, for: try TargetMachine())
        let jit = try JITSession()
        try jit.add(module)
        let saxpy = unsafeBitCast(try jit.address(of: "saxpy"), to: SaxpyFunction.self)

        // The kernel promises the optimiser 32-byte aligned arrays; one spare element after y checks
        // that nothing past n is written.
        let x = AlignedFloats(count: count, alignment: 32) { Float($0) * 0.5 }
        let y = AlignedFloats(count: count + 1, alignment: 32) { Float($0) + 1 }
        withExtendedLifetime(jit) { saxpy(2, x.pointer, y.pointer, Int64(count)) }

        // 2 * (i / 2) + (i + 1) = 2i + 1, exact in Float for these sizes; the spare keeps its n + 1.
        let expected: [Float] = (0..<count).map { Float(2 * $0 + 1) } + [Float(count + 1)]
        #expect(y.values == expected)
    }

    @Test("Calls into the C library resolve against the running process", arguments: [-2.5, 0, 1, 3.25] as [Float])
    func exponential(x: Float) throws {
        let jit = try JITSession()
        try jit.add(TestKernels.module(TestKernels.exponential))
        let exponential = unsafeBitCast(try jit.address(of: "exponential"), to: ExponentialFunction.self)
        let value = withExtendedLifetime(jit) { exponential(x) }
        #expect(abs(value - Float(Foundation.exp(Double(x)))) <= 1e-6 * Float(Foundation.exp(Double(x))))
    }

    @Test("Functions of several modules live side by side in one session")
    func severalModules() throws {
        let jit = try JITSession()
        try jit.add(TestKernels.module(named: "first", TestKernels.add))
        try jit.add(TestKernels.module(named: "second", TestKernels.exponential))
        let add = unsafeBitCast(try jit.address(of: "add"), to: AddFunction.self)
        let exponential = unsafeBitCast(try jit.address(of: "exponential"), to: ExponentialFunction.self)
        withExtendedLifetime(jit) {
            #expect(add(40, 2) == 42)
            #expect(exponential(0) == 1)
        }
    }

    @Test("Looking up a symbol nobody defines is a thrown JIT error naming it")
    func missingSymbol() throws {
        let jit = try JITSession()
        try jit.add(TestKernels.module(TestKernels.add))
        let error = #expect(throws: LLVMError.self) { try jit.address(of: "subtract") }
        #expect(error?.stage == .jit)
        #expect(error?.message.contains("subtract") == true)
    }

    @Test("Defining a symbol twice is a thrown JIT error")
    func duplicateDefinition() throws {
        let jit = try JITSession()
        try jit.add(TestKernels.module(named: "first", TestKernels.add))
        let error = #expect(throws: LLVMError.self) {
            try jit.add(TestKernels.module(named: "second", TestKernels.add))
        }
        #expect(error?.stage == .jit)
        #expect(error?.message.contains("add") == true)
    }

    @Test("Adding malformed IR is a thrown verification error")
    func malformedModule() throws {
        let jit = try JITSession()
        let error = #expect(throws: LLVMError.self) { try jit.add(TestKernels.module(TestKernels.broken)) }
        #expect(error?.stage == .verification)
    }
}

/// A buffer of floats at a chosen alignment, filled by index, freed on deinit.
private final class AlignedFloats {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int, alignment: Int, value: (Int) -> Float) {
        let capacity = max(count, 1)
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: capacity * MemoryLayout<Float>.stride, alignment: alignment)
        pointer = raw.bindMemory(to: Float.self, capacity: capacity)
        self.count = count
        for index in 0..<count {
            (pointer + index).initialize(to: value(index))
        }
    }

    deinit {
        pointer.deallocate()
    }

    var values: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
