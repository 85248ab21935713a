import Foundation

/// A fresh temporary directory for one test's data files, removed when the value goes away.
final class FixtureDirectory {
    /// The directory's path.
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netc-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        path = url.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `bytes` to a file called `name` in the directory and returns its path.
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let filePath = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: filePath))
        return filePath
    }

    /// Writes `text` as UTF-8 to a file called `name` in the directory and returns its path.
    func write(_ name: String, text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }
}
