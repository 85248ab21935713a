import Foundation

/// Keeping a code cache's folder under its byte limit: least recently used entries go first.
///
/// An entry's last use is its key file's modification time, which a lookup that finds the entry sets to now. Files
/// are grouped into entries by their name up to the first dot, so a scratch file a crashed writer left behind ages
/// out with the rest. The key is removed before the object, so a concurrent lookup sees a complete entry or a miss.
extension CodeCache {
    /// Records that the entry at `stem` was just used.
    func markUsed(stem: String) {
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: stem + ".key")
    }

    /// The bytes in each folder when this process last totalled it, plus the bytes it has stored there since.
    ///
    /// Totalling a folder means listing it and reading every file's size and date: beside a nearly full folder
    /// (9,962 files left by earlier builds of netc), a cold `netc tune` of the reference network, 166 compilations,
    /// took 50.3 s (21 s of it in the kernel) when each compilation totalled the folder, 38.3 s when the process
    /// totals it once (Zen 3, copies of the same folder). Afterwards the folder is totalled again only when the
    /// running count passes the limit; entries other processes store meanwhile are counted at their own totals or
    /// at the next process's first. Guarded by `knownBytesLock`: a pthread mutex, which the thread sanitizer sees
    /// (it does not see Synchronization's `Mutex`, a futex on Linux, and would report the table's uses as races).
    nonisolated(unsafe) private static var knownBytes: [String: Int] = [:]
    private static let knownBytesLock = NSLock()

    /// Counts `bytes` just stored in the folder, when this process has totalled it.
    func countStored(bytes: Int) {
        Self.knownBytesLock.withLock {
            if let total = Self.knownBytes[folder] { Self.knownBytes[folder] = total + bytes }
        }
    }

    /// Removes the least recently used entries while the folder holds more than `byteLimit` bytes, down to three
    /// quarters of it (so that the compilations that follow do not each remove entries again). Does not list the
    /// folder while this process's count of it (`knownBytes`) is within the limit.
    func evictLeastRecentlyUsed() {
        if let known = Self.knownBytesLock.withLock({ Self.knownBytes[folder] }), known <= byteLimit { return }
        let entries = self.entries()
        var total = entries.reduce(0) { $0 + $1.bytes }
        if total > byteLimit {
            for entry in entries.sorted(by: { $0.lastUse < $1.lastUse }) where total > byteLimit * 3 / 4 {
                for file in entry.files.sorted(by: { $0.hasSuffix(".key") && !$1.hasSuffix(".key") }) {
                    try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(file))
                }
                total -= entry.bytes
            }
        }
        Self.knownBytesLock.withLock { Self.knownBytes[folder] = total }
    }

    /// The folder's entries: files grouped by the name before their first dot, with their total size and the latest
    /// modification time among them.
    private func entries() -> [(files: [String], bytes: Int, lastUse: Date)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var entries: [Substring: (files: [String], bytes: Int, lastUse: Date)] = [:]
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
            let bytes = (attributes[.size] as? NSNumber)?.intValue ?? 0
            let modified = attributes[.modificationDate] as? Date ?? .distantPast
            let stem = name.prefix { $0 != "." }
            var entry = entries[stem] ?? ([], 0, .distantPast)
            entry.files.append(name)
            entry.bytes += bytes
            entry.lastUse = max(entry.lastUse, modified)
            entries[stem] = entry
        }
        return Array(entries.values)
    }
}
