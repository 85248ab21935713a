import ArgumentParser
import Foundation
import NetcRuntime

/// Where `train`, `predict` and `evaluate` find their CSV files.
enum DataPaths {
    /// `PATH` itself when it is a file, otherwise `PATH/NAME` (so `--data data/mnist` finds `train.csv`).
    static func file(_ path: String, defaultName: String) -> String {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? "\(path)/\(defaultName)" : path
    }

    /// Loads a Kaggle CSV, keeping at most `limit` images; on a mistake prints it and exits with status 1.
    static func load(_ path: String, limit: Int? = nil) throws -> Dataset {
        do {
            let data = try Dataset.loadKaggleCSV(path)
            guard let limit, limit < data.count else { return data }
            let pixels = data.imageSize.pixelCount
            return Dataset(
                imageSize: data.imageSize, images: Array(data.images.prefix(limit * pixels)),
                labels: data.labels.map { Array($0.prefix(limit)) })
        } catch {
            Terminal.printError(error.description)
            throw ExitCode.failure
        }
    }
}
