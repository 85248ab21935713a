import ArgumentParser
import Foundation
import NetcFrontEnd
import NetcGraph
import NetcRuntime

/// How `train` and `submit` begin a run: a new run checked and written to its folder once, or an existing run's
/// manifest checked against the model file to continue it.
enum RunStart {
    /// Starts a new run in `folder`: checks the model builds with the recipe, loads and checks the training data,
    /// and writes `run.json` (the recipe and the normalisation fitted on the data), the model's copy and the fold
    /// folders. Refuses a folder that already holds a run.
    static func new(
        _ spec: NetworkSpec, source: ModelSource, modelPath: String, recipe: RecipeOptions, data: String, limit: Int?,
        in folder: RunFolder
    ) throws -> (manifest: RunManifest, data: Dataset) {
        guard !FileManager.default.fileExists(atPath: folder.manifest) else {
            Terminal.printError(
                "\(folder.path): error: this folder already holds a run; continue it with --resume or choose "
                    + "another --out")
            throw ExitCode.failure
        }
        let configuration = recipe.apply(to: TrainingConfiguration().applying(spec.training))
        _ = try ModelOptions.build(spec, from: source, batchSize: configuration.batchSize, mode: .training)
        let expectation = DataExpectation(spec, modelPath: modelPath)
        let training = try DataPaths.load(data, role: .training, expecting: expectation, limit: limit)
        let manifest = RunManifest(
            model: spec.name, modelSHA256: SHA256.hexDigest(Array(source.text.utf8)), data: training.source.path,
            images: training.data.count, normalization: Normalization(fitting: training.data),
            configuration: configuration)
        try folder.create(folds: configuration.folds)
        try folder.write(manifest)
        try AtomicFile.write(Array(source.text.utf8), to: folder.model)
        return (manifest, training.data)
    }

    /// The manifest of the run in `folder`, which must have been started with the model file read as `source`.
    static func existing(in folder: RunFolder, source: ModelSource, modelPath: String) throws -> RunManifest {
        let manifest = try folder.readManifest()
        guard manifest.modelSHA256 == SHA256.hexDigest(Array(source.text.utf8)) else {
            throw RunError.modelChanged(path: modelPath)
        }
        return manifest
    }
}
