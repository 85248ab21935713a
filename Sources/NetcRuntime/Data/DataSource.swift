import Foundation

/// A dataset on disk and its format, found from the path given to `--data`: a file, or a folder holding the
/// files of a role (`train.*`, `test.*`).
public enum DataSource: Hashable, Sendable {
    /// A Kaggle-style CSV: `label,pixel0,...` (labelled) or `pixel0,...`.
    case kaggleCSV(String)
    /// IDX images (gzip-compressed or not) and the labels file beside them, when there is one.
    case idx(images: String, labels: String?)
    /// A NumPy archive holding `x` and, for labelled data, `y` (`np.savez` or `np.savez_compressed`).
    case npz(String)
    /// A folder holding `x.npy` and, for labelled data, `y.npy`.
    case npyFolder(String)

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
    /// A file's format follows its name: `.npz` is a NumPy archive, `x.npy` stands for its folder, and a name
    /// with `images-idx3-ubyte` or `images-idx4-ubyte` is an IDX images file (gzip-compressed or not), whose
    /// labels are the file beside it named with `labels-idx1-ubyte` instead (`.gz` or not). Any other file is
    /// read as a Kaggle CSV. In a folder, `x.npy` makes the folder itself the data.
    /// - Throws: ``DataError`` when a folder holds no file of the role, or more than one.
    public static func resolve(_ path: String, role: Role) throws(DataError) -> DataSource {
        guard isDirectory(path) else { return source(forFile: path) }
        if FileManager.default.fileExists(atPath: "\(path)/x.npy") { return .npyFolder(path) }
        let candidates = role.stems.flatMap { stem in
            ["\(stem).csv", "\(stem).npz", "\(stem)/x.npy"]
                + ["idx3", "idx4"].flatMap { ["\(stem)-images-\($0)-ubyte", "\(stem)-images-\($0)-ubyte.gz"] }
        }
        let found = candidates.filter { FileManager.default.fileExists(atPath: "\(path)/\($0)") }
        guard found.count == 1, let name = found.first else {
            throw DataError(
                path: path, location: .file,
                kind: found.isEmpty
                    ? .noDataFound(role: role.noun, candidates: candidates)
                    : .ambiguousData(role: role.noun, found: found))
        }
        return name.hasSuffix("/x.npy") ? .npyFolder("\(path)/\(name.dropLast(6))") : source(forFile: "\(path)/\(name)")
    }

    /// The source of the file at `path`, by its name.
    private static func source(forFile path: String) -> DataSource {
        let name = (path as NSString).lastPathComponent
        if name.hasSuffix(".npz") { return .npz(path) }
        if name == "x.npy" { return .npyFolder((path as NSString).deletingLastPathComponent) }
        for images in ["images-idx3-ubyte", "images-idx4-ubyte"] where name.contains(images) {
            // The labels beside the images, compressed or not.
            let labelsName = name.replacingOccurrences(of: images, with: "labels-idx1-ubyte")
            let plainName = labelsName.hasSuffix(".gz") ? String(labelsName.dropLast(3)) : labelsName
            let folder = (path as NSString).deletingLastPathComponent as NSString
            let labels = [labelsName, plainName, plainName + ".gz"].map { folder.appendingPathComponent($0) }
                .first { FileManager.default.fileExists(atPath: $0) }
            return .idx(images: path, labels: labels)
        }
        return .kaggleCSV(path)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The file that stands for the whole source in messages and in `run.json`: the CSV, the archive, `x.npy`
    /// or the images file.
    public var path: String {
        switch self {
        case .kaggleCSV(let path), .npz(let path): path
        case .idx(let images, _): images
        case .npyFolder(let folder): "\(folder)/x.npy"
        }
    }

    /// Reads the data, checked against what the model expects.
    public func load(expecting expectation: DataExpectation) throws(DataError) -> Dataset {
        switch self {
        case .kaggleCSV(let path): try Dataset.loadKaggleCSV(path, expecting: expectation)
        case .idx(let images, let labels): try Dataset.loadIDX(images: images, labels: labels, expecting: expectation)
        case .npz(let path): try Dataset.loadNPZ(path, expecting: expectation)
        case .npyFolder(let folder): try Dataset.loadNPYFolder(folder, expecting: expectation)
        }
    }

    /// Reads labelled data for training: as ``load(expecting:)``, and every image must have a label.
    public func loadLabelled(expecting expectation: DataExpectation) throws(DataError) -> Dataset {
        let data = try load(expecting: expectation)
        guard data.labels != nil else {
            throw DataError(path: path, location: .file, kind: .noLabels(purpose: "training"))
        }
        return data
    }
}
