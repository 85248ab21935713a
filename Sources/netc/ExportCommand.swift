import ArgumentParser
import NetcONNX
import NetcRuntime

/// `netc export`: a run's fold ensemble, one fold, or one checkpoint as an ONNX model.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a run's fold ensemble (or one fold, or one checkpoint) as one ONNX model.",
        discussion: """
            The model takes raw pixels as float32 in 0-255, shaped [N, C, H, W] with any batch size N (input \
            'pixels'), normalises them as the folds were trained, runs every fold model in inference form \
            (BatchNorm with running statistics, folded into the convolution or linear layer before it where that \
            is exact; no dropout) and averages their logits as netc predict does (output 'logits', [N, classes]); \
            with --average probs it averages softmax probabilities (output 'probabilities'). --fold K exports one \
            fold, --weights FILE --model MODEL any checkpoint. A model trained on float32 data takes the values as \
            netc read them with --float-input.
            """)

    @OptionGroup var trained: TrainedModelOptions

    @Option(help: "Where to write the ONNX model.")
    var onnx: String

    @Option(help: "The ONNX opset to write, \(ONNXExport.supportedOpsets.lowerBound)-\(ONNXExport.supportedOpsets.upperBound).")
    var opset = ONNXExport.defaultOpset

    @Flag(help: "Take values as netc reads float32 data (not divided by 255) instead of pixels in 0-255.")
    var floatInput = false

    func validate() throws {
        guard ONNXExport.supportedOpsets.contains(opset) else {
            throw ValidationError(
                "--opset must be \(ONNXExport.supportedOpsets.lowerBound)-\(ONNXExport.supportedOpsets.upperBound), "
                    + "found \(opset)")
        }
    }

    func run() throws {
        let (_, spec) = try trained.network()
        let export = try ONNXExport(
            trained.trainedModels(of: spec), average: trained.average, opset: opset, pixelDivisor: floatInput ? 1 : 255)
        try AtomicFile.write(export.serializedBytes(), to: onnx)
        print("wrote \(onnx): \(export.summary)")
    }
}
