import Foundation
import NetcRuntime

extension BenchCommand {
    /// How long reading the data at `path` takes, checked against the model as `netc train` reads it: the best
    /// of `rounds` complete reads (file, decompression, parsing, checks), with the images found, the bytes on
    /// disk and the rate.
    /// - Throws: the located error of data that does not fit the model, before anything is compiled.
    static func dataLoadReport(
        _ path: String, expecting expectation: DataExpectation, rounds: Int = 3
    ) throws -> [String: Any] {
        let source = try DataSource.resolve(path, role: .training)
        var times: [Double] = []
        var dataset: Dataset?
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            dataset = try source.load(expecting: expectation)
            times.append((ContinuousClock.now - start).seconds)
        }
        let bytes = source.files.reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
        let best = times.min() ?? 0
        return [
            "path": source.path, "format": source.formatName, "images": dataset?.count ?? 0,
            "labelled": dataset?.labels != nil, "bytes": bytes, "seconds": times, "best_seconds": best,
            "megabytes_per_second": Double(bytes) / 1e6 / best,
        ]
    }
}

extension DataSource {
    /// The format, as the report names it.
    fileprivate var formatName: String {
        switch self {
        case .kaggleCSV: "Kaggle CSV"
        case .idx(let images, _): images.hasSuffix(".gz") ? "IDX (gzip)" : "IDX"
        case .npz: "NumPy .npz"
        case .npyFolder: "NumPy .npy folder"
        }
    }

    /// Every file the source reads.
    fileprivate var files: [String] {
        switch self {
        case .kaggleCSV(let path), .npz(let path): [path]
        case .idx(let images, let labels): [images] + (labels.map { [$0] } ?? [])
        case .npyFolder(let folder): ["\(folder)/x.npy", "\(folder)/y.npy"]
        }
    }
}
