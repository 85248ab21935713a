import Foundation
import NetcFrontEnd
import NetcGraph
import NetcLLVM
import NetcRuntime
import NetcTestSupport
import Testing

/// Models of other shapes than MNIST's, trained models with seeded weights and running statistics, and their
/// logits computed by netc's JIT (the engine `netc predict` uses) as the reference an exported model must match.
enum ExportFixtures {
    /// 3×13×17 colour images, 7 classes, with BatchNorms to fold: into a convolution without bias and into linear
    /// layers (the last one the network's output); one after a ReLU (kept); strides, overlapping average pooling.
    static let folding = """
        Network("folding", input: Image(channels: 3, height: 13, width: 17), classes: 7) {
            Sequential("features") {
                Conv2D(6, kernel: 3, stride: 2, padding: 1, bias: false)
                BatchNorm()
                ReLU()
                Conv2D(10, kernel: 2)
                ReLU()
                BatchNorm()
                AvgPool(2, stride: 1)
            }
            Flatten()
            Sequential("head") {
                Linear(16, bias: false)
                BatchNorm()
                ReLU()
                Dropout(0.2)
                Linear(7)
                BatchNorm()
            }
        }
        """

    /// The network a model file's text describes.
    static func spec(_ text: String) throws -> NetworkSpec {
        try FrontEnd.parse(ModelSource(path: "fixture.swift-dsl", text: text))
    }

    /// The network of `Examples/NAME.swift-dsl`.
    static func example(_ name: String) throws -> NetworkSpec {
        try FrontEnd.parse(
            ModelSource(path: PythonEnvironment.repository.appendingPathComponent("Examples/\(name).swift-dsl").path))
    }

    /// A model of `spec` with PyTorch-style initial weights drawn from `seed`, and BatchNorm statistics and affine
    /// parameters far from their initial values (negative scales included), so folding has something to fold.
    static func trainedModel(
        _ spec: NetworkSpec, seed: UInt64, normalization: Normalization = Normalization(mean: 0.13, std: 0.31)
    ) throws -> TrainedModel {
        let graph = try NetworkModel(spec, batchSize: 1, mode: .inference).graph
        var tensors = graph.initialValues(seed: seed)
        let generator = Philox(seed: seed)
        let ranges: [(suffix: String, low: Double, high: Double)] = [
            (".running_mean", -0.5, 0.5), (".running_var", 0.3, 2), (".weight", -1.5, 1.5), (".bias", -0.5, 0.5),
        ]
        for (number, value) in graph.states.enumerated() {
            let name = graph[value].name
            guard name.hasSuffix(".running_mean") else { continue }
            let path = String(name.dropLast(".running_mean".count))
            for (offset, range) in ranges.enumerated() {
                guard let tensor = tensors[path + range.suffix] else { continue }
                let stream = UInt32(0x7100 + 8 * number + offset)
                tensors[path + range.suffix] = Tensor(
                    tensor.type,
                    (0..<tensor.type.elementCount).map { index in
                        let unit = generator.uniform(stream: stream, step: 0, index: UInt32(index))
                        return Double(Float(range.low + (range.high - range.low) * unit))
                    })
            }
        }
        return TrainedModel(name: "seed \(seed)", spec: spec, tensors: tensors, normalization: normalization)
    }

    /// `count` images of `spec`'s shape with pixels 0...255, image after image (channel-major within one).
    static func images(for spec: NetworkSpec, count: Int, seed: UInt64) -> [[Double]] {
        let size = spec.input.channels * spec.input.height * spec.input.width
        let generator = Philox(seed: seed)
        return (0..<count).map { image in
            (0..<size).map { pixel in
                (generator.uniform(stream: 0x7200, step: UInt64(image), index: UInt32(pixel)) * 256).rounded(.down)
            }
        }
    }

    /// The images as a CSV of pixel columns with a header, as Kaggle's `test.csv`.
    static func pixelsCSV(_ images: [[Double]]) -> String {
        let header = (0..<images[0].count).map { "pixel\($0)" }.joined(separator: ",")
        return header + "\n" + images.map { $0.map { String(Int($0)) }.joined(separator: ",") + "\n" }.joined()
    }

    /// Each image's logits from the inference graph `graph(batch)` with `tensors`, compiled by the JIT, the pixels
    /// (0...255) normalised as netc normalises byte images: `(pixel/255 − mean[c]) / std[c]`.
    static func jitLogits(
        _ graph: (Int) throws -> Graph, tensors: [String: Tensor], normalization: Normalization, images: [[Double]]
    ) throws -> [Double] {
        let graph = try graph(images.count)
        let executable = try JITBackend().prepare(graph, seed: 0)
        for (name, tensor) in tensors { try executable.setPersistent(named: name, to: tensor) }
        let shape = try #require(graph.input(.images).map { graph.type(of: $0) })
        let (channels, plane) = (shape.shape[1], shape.shape[2] * shape.shape[3])
        let statistics = try #require(normalization.broadcast(to: channels))
        let input = Tensor(
            shape,
            images.flatMap { pixels in
                pixels.enumerated().map { index, pixel in
                    let channel = index / plane
                    return (pixel / 255 - statistics.mean[channel]) / statistics.std[channel]
                }
            })
        return try #require(try executable.run([.images: input])["logits"]?.scalars)
    }

    /// `jitLogits` of a trained model.
    static func jitLogits(_ model: TrainedModel, images: [[Double]]) throws -> [Double] {
        try jitLogits(
            { try NetworkModel(model.spec, batchSize: $0, mode: .inference).graph }, tensors: model.tensors,
            normalization: model.normalization, images: images)
    }

    /// A graph the model language cannot write yet: a residual block whose convolution feeds its BatchNorm and
    /// the sum too (so the BatchNorm must not be folded into it), then a rank-3 reshape; 2×5×6 images, 4 classes.
    ///
    ///     c = conv(x);  s = relu(batchNorm(c)) + c;  logits = linear(flatten(relu(reshape(s, [N, 15, 6]))))
    static func residualGraph(batch: Int) -> Graph {
        var graph = Graph()
        func parameter(_ name: String, _ shape: Int...) -> ValueID {
            graph.add(.parameter(.uniform(bound: 0.3)), [], type: TensorType(.float32, shape), name: name)
        }
        let x = graph.add(.input(.images), [], type: .float(batch, 2, 5, 6), name: "input")
        let c = graph.add(
            .conv2D(ConvolutionAttributes(kernel: 3, padding: 1)), [x, parameter("conv.weight", 3, 2, 3, 3)],
            name: "conv")
        let statistics = ["mean", "variance", "scale", "shift"].map { parameter("norm.\($0)", 3) }
        let norm = graph.add(.batchNormInference(epsilon: 1e-5), [c] + statistics, name: "norm")
        let sum = graph.add(.add, [graph.add(.relu, [norm], name: "relu"), c], name: "residual")
        let rows = graph.add(.reshape, [sum], type: .float(batch, 15, 6), name: "rows")
        let flat = graph.add(.reshape, [graph.add(.relu, [rows], name: "relu2")], type: .float(batch, 90), name: "flatten")
        let fc = graph.add(.linear, [flat, parameter("fc.weight", 4, 90), parameter("fc.bias", 4)], name: "fc")
        graph.outputs.append(GraphOutput("logits", fc))
        return graph
    }

    /// Initial values for `residualGraph` with a positive variance.
    static func residualTensors() -> [String: Tensor] {
        var tensors = residualGraph(batch: 1).initialValues(seed: 5)
        tensors["norm.variance"] = Tensor(.float(3), [0.5, 1.5, 2])
        return tensors
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netc-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
