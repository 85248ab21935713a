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
        let graph = model.trainingStep(optimizer: .adam(AdamAttributes()))
        let program = LoopPipeline(target: .haswell).program(for: graph)
        return try CodeGenerator.llvmIR(for: program, optimization: optimization, target: .haswell)
    }

    @Test func kernelsTakeNoAliasAlignedBuffersAndVectorise() throws {
        let ir = try Self.trainingIR(optimization: .aggressive)
        #expect(ir.contains("load <8 x float>"), "Haswell's vector loops use 256-bit vectors")
        let checks = """
            CHECK: define internal {{.*}}void @conv1_0_conv_relu_fwd_x_pad.loops(float* noalias nocapture readonly align 64 %input, float* noalias nocapture writeonly align 64 %input_padded, i64 %begin, i64 %end)
            CHECK: define void @conv1_0_conv_relu_fwd_x_pad(i8* noalias nocapture {{.*}}align 64 %workspace, i8* noalias nocapture {{.*}}align 64 %parameters, i8* noalias nocapture {{.*}}align 64 %state, i8* noalias nocapture {{.*}}align 64 %io, i64 %begin, i64 %end)
            CHECK: define internal {{.*}}void @conv1_0_conv_relu_fwd.loops(float* noalias nocapture readonly align 64 %conv1_0_weight, {{.*}}float* noalias nocapture writeonly align 64 %conv1_1, float* noalias nocapture readonly align 64 %input_padded, double* noalias nocapture align 64 %conv1_1_channel_sums, i64 %begin, i64 %end)
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
            CHECK: define void @conv1_2_bn_bwd_relu_dx_conv_dw(
            CHECK: define internal {{.*}}void @adam_update.loops(i64* noalias nocapture readonly align 64 %step, float* noalias nocapture readonly align 64 %learning_rate, float* noalias nocapture align 64 %parameters
            CHECK: define void @step(i8* noalias nocapture align 64 %workspace, i8* noalias nocapture align 64 %parameters, i8* noalias nocapture align 64 %state, i8* noalias nocapture readonly align 64 %io)
            CHECK: call fastcc void @conv1_0_conv_relu_fwd_x_pad.loops({{.*}}, i64 0, i64 4)
            CHECK: call fastcc void @conv1_0_conv_relu_fwd.loops({{.*}}, i64 0, i64 4)
            CHECK: call fastcc void @conv1_2_bn_bwd_relu_dx_conv_dw.loops(
            """
        let checkFile = try LLVMTools.temporaryFile("checks.txt", containing: checks)
        let irFile = try LLVMTools.temporaryFile("step.ll", containing: ir)
        let result = try LLVMTools.run("FileCheck", [checkFile, "--input-file", irFile])
        #expect(result.status == 0, "\(result.output)")
    }

    /// The convolutions' vector loops take their width from the target: 8 lanes on Haswell, 16 on Ice Lake server,
    /// whose kernels also ask LLVM for 512-bit registers.
    @Test(arguments: [(TargetName.haswell, 8), (.icelakeServer, 16)])
    func convolutionVectorsFollowTheTarget(target: TargetName, lanes: Int) throws {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 4, mode: .inference)
        let program = LoopPipeline(target: target.target.description).program(for: model.graph)
        let ir = try CodeGenerator.llvmIR(for: program, optimization: .off, target: target.target)
        let kernel = try #require(
            ir.components(separatedBy: "define ").first { $0.contains("@conv1_3_conv_relu_bn_fwd.loops(") })
        #expect(kernel.contains("@llvm.fmuladd.v\(lanes)f32"))
        #expect(kernel.contains("<\(lanes * 2) x float>") == false)
        #expect(ir.contains("\"min-legal-vector-width\"=\"512\"") == (lanes == 16))
    }

    @Test func optVerifiesTheUnoptimisedAndOptimisedIR() throws {
        for level in [OptimizationLevel.off, .aggressive] {
            let file = try LLVMTools.temporaryFile("step.ll", containing: try Self.trainingIR(optimization: level))
            let result = try LLVMTools.run("opt", ["-verify", "-disable-output", file])
            #expect(result.status == 0, "\(level): \(result.output)")
        }
    }
}
