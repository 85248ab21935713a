import Foundation
import Testing

@testable import NetcLLVM

@Suite("IRModule: building, printing and verifying IR")
struct IRModuleTests {
    @Test("Printed IR carries the parameters' names and attributes")
    func printedSignature() throws {
        let module = TestKernels.module(named: "kernels", TestKernels.add, TestKernels.saxpy)
        try module.verify()
        #expect(module.name == "kernels")
        #expect(module.text.contains("define i32 @add(i32 %lhs, i32 %rhs)"))
        #expect(
            module.text.contains(
                "define void @saxpy(float %a, float* noalias nocapture readonly align 32 %x, "
                    + "float* noalias nocapture align 32 %y, i64 %n)"))
    }

    @Test("LLVM's opt accepts the printed IR")
    func optAcceptsPrintedIR() throws {
        let module = TestKernels.module(TestKernels.add, TestKernels.saxpy, TestKernels.exponential)
        let path = try LLVMTools.temporaryFile("module.ll", containing: module.text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try LLVMTools.run("opt", ["-verify", "-disable-output", path])
        #expect(result.status == 0, "opt rejected the IR: \(result.output)")
    }

    @Test("The saxpy loop has the expected shape")
    func saxpyShape() throws {
        let module = TestKernels.module(TestKernels.saxpy)
        let checks = """
            CHECK-LABEL: define void @saxpy(
            CHECK: entry:
            CHECK-NEXT: %empty = icmp sle i64 %n, 0
            CHECK-NEXT: br i1 %empty, label %exit, label %loop
            CHECK: loop:
            CHECK-NEXT: %i = phi i64 [ 0, %entry ], [ %next, %loop ]
            CHECK: %xv = load float, float* %x.i, align 4
            CHECK: %ax = fmul float %a, %xv
            CHECK-NEXT: %sum = fadd float %ax, %yv
            CHECK-NEXT: store float %sum, float* %y.i, align 4
            CHECK: %done = icmp eq i64 %next, %n
            CHECK-NEXT: br i1 %done, label %exit, label %loop
            CHECK: exit:
            CHECK-NEXT: ret void
            """
        let checkPath = try LLVMTools.temporaryFile("saxpy.check", containing: checks)
        let inputPath = try LLVMTools.temporaryFile("saxpy.ll", containing: module.text)
        defer {
            try? FileManager.default.removeItem(atPath: checkPath)
            try? FileManager.default.removeItem(atPath: inputPath)
        }
        let result = try LLVMTools.run("FileCheck", [checkPath, "--input-file", inputPath])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("Malformed IR is a thrown verification error with LLVM's message")
    func verificationFailure() {
        let module = TestKernels.module(TestKernels.broken)
        let error = #expect(throws: LLVMError.self) { try module.verify() }
        #expect(error?.stage == .verification)
        #expect(error?.message.contains("Basic Block in function 'broken' does not have terminator!") == true)
    }

    @Test("Intrinsics are declared with their overloaded types")
    func intrinsicDeclaration() {
        let module = TestKernels.module(TestKernels.exponential)
        #expect(module.function(named: "llvm.exp.f32")?.isDeclaration == true)
        #expect(module.functions.map(\.name) == ["exponential", "llvm.exp.f32"])
    }
}
