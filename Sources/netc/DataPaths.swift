import NetcGraph
import NetcRuntime

/// How `train`, `predict` and `evaluate` find their data (a file, or a folder searched for `train.*` or
/// `test.*`) and read it, checked against the model before anything is written.
enum DataPaths {
    /// The data at `path` for `role`, in whatever format it is, checked against `expectation`; training data
    /// must be labelled. Keeps the first `limit` images when given.
    static func load(
        _ path: String, role: DataSource.Role, expecting expectation: DataExpectation, limit: Int? = nil
    ) throws -> (source: DataSource, data: Dataset) {
        let source = try DataSource.resolve(path, role: role)
        let data: Dataset
        switch role {
        case .training: data = try source.loadLabelled(expecting: expectation)
        case .test: data = try source.load(expecting: expectation)
        }
        return (source, limit.map { data.prefix($0) } ?? data)
    }
}
