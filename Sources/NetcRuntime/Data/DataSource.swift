import Foundation

/// A dataset on disk and its format, found from the path given to `--data`: a file, or a folder holding the
/// files of a role (`train.*`, `test.*`).
public enum DataSource: Hashable, Sendable {
    /// A Kaggle-style CSV: `label,pixel0,...` (labelled) or `pixel0,...`.
    case kaggleCSV(String)
    /// IDX images (gzip-compressed or not) and the labels file beside them, when there is one.
    case idx(images: String, labels: String?)

    /// What data is for: a folder is searched for the files of its role.
    public enum Role: Sendable {
        /// `train.csv`, `train-images-idx3-ubyte.gz`, ...
        case training
        /// `test.csv`, `t10k-images-idx3-ubyte.gz`, ...
        case test

        /// The names a file of this role starts with.
        var stems: [String] {
            switch self {
            case .training: ["train"]
            case .test: ["test", "t10k"]
            }
        }

        /// How errors name the role.
        var noun: String {
            switch self {
            case .training: "training data"
            case .test: "test data"
            }
        }
    }

    /// The source at `path`: the file itself, or in a folder the one file of `role` found by name.
    ///
    /// A file's format follows its name: `.csv` is a Kaggle CSV, and a name with `idx3-ubyte` or `idx4-ubyte`
    /// (gzip-compressed or not) an IDX images file, whose labels file is the one beside it named with
    /// `labels-idx1-ubyte` in place of `images-idx3-ubyte`. Any other file is read as a Kaggle CSV.
    /// - Throws: ``DataError`` when a folder holds no file of the role, or more than one.
    public static func resolve(_ path: String, role: Role) throws(DataError) -> DataSource {
        guard isDirectory(path) else { return source(forFile: path) }
        let candidates = role.stems.flatMap { stem in
            ["\(stem).csv"] + ["idx3", "idx4"].flatMap { ["\(stem)-images-\($0)-ubyte", "\(stem)-images-\($0)-ubyte.gz"] }
        }
        let found = candidates.filter { FileManager.default.fileExists(atPath: "\(path)/\($0)") }
        guard found.count == 1, let name = found.first else {
            throw DataError(
                path: path, location: .file,
                kind: found.isEmpty
                    ? .noDataFound(role: role.noun, candidates: candidates) : .ambiguousData(role: role.noun, found: found))
        }
        return source(forFile: "\(path)/\(name)")
    }

    /// The source of the file at `path`, by its name.
    private static func source(forFile path: String) -> DataSource {
        let name = (path as NSString).lastPathComponent
        for images in ["images-idx3-ubyte", "images-idx4-ubyte"] where name.contains(images) {
            let labelsName = name.replacingOccurrences(of: images, with: "labels-idx1-ubyte")
            let labels = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(labelsName)
            return .idx(images: path, labels: FileManager.default.fileExists(atPath: labels) ? labels : nil)
        }
        return .kaggleCSV(path)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The file that stands for the whole source in messages and in `run.json`: the CSV or the images file.
    public var path: String {
        switch self {
        case .kaggleCSV(let path): path
        case .idx(let images, _): images
        }
    }

    /// Reads the data, checked against what the model expects.
    public func load(expecting expectation: DataExpectation) throws(DataError) -> Dataset {
        switch self {
        case .kaggleCSV(let path): try Dataset.loadKaggleCSV(path, expecting: expectation)
        case .idx(let images, let labels): try Dataset.loadIDX(images: images, labels: labels, expecting: expectation)
        }
    }

    /// Reads labelled data for training: as ``load(expecting:)``, and every image must have a label.
    public func loadLabelled(expecting expectation: DataExpectation) throws(DataError) -> Dataset {
        let data = try load(expecting: expectation)
        guard data.labels != nil else { throw DataError(path: path, location: .file, kind: .noLabels(purpose: "training")) }
        return data
    }
}
