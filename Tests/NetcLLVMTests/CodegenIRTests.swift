import Foundation
import NetcGraph
import NetcLoops
import NetcTestSupport
import Testing

@testable import NetcLLVM

/// The emitted LLVM IR of the reference network's training step, judged by LLVM's own tools.
@Suite struct CodegenIRTests {
    static func trainingIR(optimization: OptimizationLevel) throws -> String {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 4, mode: .training)
        let program = LoopPipeline().program(for: model.trainingStep(optimizer: .adam(AdamAttributes())))
        return try CodeGenerator.llvmIR(for: program, optimization: optimization)
    }

    @Test func kernelsTakeNoAliasAlignedBuffersAndVectorise() throws {
        let ir = try Self.trainingIR(optimization: .aggressive)
        #expect(ir.contains("load <8 x float>"), "the vectorisers use 256-bit vectors")
        let checks = """
            CHECK: define internal {{.*}}void @conv1_0_conv_relu_fwd_x_pad.loops(float* noalias nocapture readonly align 64 %input, float* noalias nocapture writeonly align 64 %input_padded, i64 %begin, i64 %end)
            CHECK: define void @conv1_0_conv_relu_fwd_x_pad(i8* noalias nocapture {{.*}}align 64 %workspace, i8* noalias nocapture {{.*}}align 64 %parameters, i8* noalias nocapture {{.*}}align 64 %state, i8* noalias nocapture {{.*}}align 64 %io, i64 %begin, i64 %end)
            CHECK: define internal {{.*}}void @conv1_0_conv_relu_fwd.loops(float* noalias nocapture readonly align 64 %conv1_0_weight, {{.*}}float* noalias nocapture readonly align 64 %input_padded, float* noalias nocapture align 64 %conv1_0_accumulator, i64 %begin, i64 %end)
            CHECK: <8 x float>
            CHECK: @llvm.fmuladd.v8f32
            CHECK: define void @conv1_0_conv_relu_fwd(
            CHECK: @llvm.x86.sse.stmxcsr
            CHECK: @llvm.x86.sse.ldmxcsr
            CHECK: call fastcc void @conv1_0_conv_relu_fwd.loops(
            CHECK: @llvm.x86.sse.ldmxcsr
            CHECK: define void @conv1_2_bn_stats(
            CHECK: define internal {{.*}}void @conv1_3_conv_relu_fwd_w_pack.loops(float* noalias nocapture readonly align 64 %conv1_3_weight, float* noalias nocapture writeonly align 64 %conv1_3_weight_packed, i64 %begin, i64 %end)
            CHECK: define void @conv1_6_maxpool_dropout_fwd(
            CHECK: define void @conv1_2_bn_bwd_relu_dx(
            CHECK: define internal {{.*}}void @adam_update.loops(i64* noalias nocapture readonly align 64 %step, float* noalias nocapture readonly align 64 %learning_rate, float* noalias nocapture align 64 %parameters
            CHECK: define void @step(i8* noalias nocapture align 64 %workspace, i8* noalias nocapture align 64 %parameters, i8* noalias nocapture align 64 %state, i8* noalias nocapture readonly align 64 %io)
            CHECK: call fastcc void @conv1_0_conv_relu_fwd_x_pad.loops({{.*}}, i64 0, i64 4)
            CHECK: call fastcc void @conv1_0_conv_relu_fwd.loops({{.*}}, i64 0, i64 4)
            CHECK: call fastcc void @conv1_2_bn_bwd_relu_dx.loops(
            """
        let checkFile = try LLVMTools.temporaryFile("checks.txt", containing: checks)
        let irFile = try LLVMTools.temporaryFile("step.ll", containing: ir)
        let result = try LLVMTools.run("FileCheck", [checkFile, "--input-file", irFile])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func optVerifiesTheUnoptimisedAndOptimisedIR() throws {
        for level in [OptimizationLevel.off, .aggressive] {
            let file = try LLVMTools.temporaryFile("step.ll", containing: try Self.trainingIR(optimization: level))
            let result = try LLVMTools.run("opt", ["-verify", "-disable-output", file])
            #expect(result.status == 0, "\(level): \(result.output)")
        }
    }
}
