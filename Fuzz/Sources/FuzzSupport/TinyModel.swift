import NetcGraph
import NetcRuntime

/// The model the data fuzzers read for: 2×2 greyscale images (short headers let the fuzzer reach the data) in
/// 10 classes.
public let tinyModel = DataExpectation(
    shape: ImageShape(channels: 1, height: 2, width: 2), classes: 10, model: "tiny.swift-dsl")
