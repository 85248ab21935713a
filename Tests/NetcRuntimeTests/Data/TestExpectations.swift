import NetcGraph
import NetcRuntime

extension DataExpectation {
    /// A model of MNIST's 28×28 greyscale digits in 10 classes.
    static let mnist = DataExpectation(
        shape: ImageShape(channels: 1, height: 28, width: 28), classes: 10, model: "mnist-cnn.swift-dsl")

    /// A model of `channels`×`height`×`width` images in `classes` classes, written in `model.swift-dsl`.
    static func model(channels: Int = 1, height: Int, width: Int, classes: Int = 10) -> DataExpectation {
        DataExpectation(
            shape: ImageShape(channels: channels, height: height, width: width), classes: classes,
            model: "model.swift-dsl")
    }
}
