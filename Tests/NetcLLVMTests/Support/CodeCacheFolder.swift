import Foundation
import Testing

/// Code cache folders for tests: a fresh path in the temporary directory, and what a folder holds.
enum CodeCacheFolder {
    /// A path in the temporary directory that nothing uses yet (the cache creates the folder when it stores).
    static func temporary() -> String {
        (NSTemporaryDirectory() as NSString).appendingPathComponent("netc-code-cache-\(UUID().uuidString)")
    }

    /// Every file in `folder` with its modification date.
    static func files(in folder: String) throws -> [String: Date] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        return try Dictionary(
            uniqueKeysWithValues: names.map { name in
                let attributes = try FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)")
                return (name, try #require(attributes[.modificationDate] as? Date))
            })
    }
}
