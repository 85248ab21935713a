import Foundation
import Testing

@testable import NetcLLVM

@Suite("IRModule optimisation with the new pass manager")
struct OptimizationTests {
    @Test("default<O2> vectorises the saxpy loop to the target's preferred vector width")
    func aggressiveVectorises() throws {
        for (target, lanes) in [(HostTarget.haswell, 8), (TargetName.icelakeServer.target, 16)] {
            var module = TestKernels.module(TestKernels.saxpy)
            try module.optimize(.aggressive, for: try TargetMachine(host: target))
            let text = module.text
            #expect(text.contains("fmul <\(lanes) x float>"), "\(target.cpuName)")
            #expect(text.contains("fadd <\(lanes) x float>"), "\(target.cpuName)")
            #expect(!text.contains("<\(lanes * 2) x float>"), "\(target.cpuName)")
            try module.verify()
        }
    }

    @Test("Optimisation off keeps the loop scalar but still targets the host")
    func offKeepsLoopScalar() throws {
        var module = TestKernels.module(TestKernels.saxpy)
        let before = module.text
        let machine = try TargetMachine()
        try module.optimize(.off, for: machine)
        #expect(!module.text.contains("x float>"))
        #expect(module.text.contains("target triple = \"\(HostTarget.current.triple)\""))
        #expect(module.text.contains("target datalayout = \"\(machine.dataLayout)\""))
        #expect(module.text.count > before.count)
    }

    @Test("Defined functions carry the host CPU and features; declarations do not")
    func targetAttributes() throws {
        var module = TestKernels.module(TestKernels.exponential)
        try module.optimize(.off, for: try TargetMachine())
        let defined = module.function(named: "exponential")
        let exponential = try #require(defined)
        #expect(exponential.attribute("target-cpu") == HostTarget.current.cpuName)
        #expect(exponential.attribute("target-features") == HostTarget.current.features)
        #expect(exponential.attribute("prefer-vector-width") == "\(HostTarget.current.description.vectorBits)")
        #expect(module.function(named: "llvm.exp.f32")?.attribute("target-cpu") == nil)
    }

    @Test("The optimised IR is accepted by LLVM's opt")
    func optimisedIRIsValid() throws {
        var module = TestKernels.module(TestKernels.add, TestKernels.saxpy, TestKernels.exponential)
        try module.optimize(.aggressive, for: try TargetMachine())
        let path = try LLVMTools.temporaryFile("optimised.ll", containing: module.text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try LLVMTools.run("opt", ["-verify", "-disable-output", path])
        #expect(result.status == 0, "opt rejected the IR: \(result.output)")
    }

    @Test("Optimising malformed IR throws a verification error instead of crashing the passes")
    func malformedIsRejected() throws {
        var module = TestKernels.module(TestKernels.broken)
        let machine = try TargetMachine()
        let error = #expect(throws: LLVMError.self) { try module.optimize(.aggressive, for: machine) }
        #expect(error?.stage == .verification)
    }
}
