import Foundation

/// Object code compiled before, kept in a folder and found again by everything it was compiled from: the LLVM IR
/// as emitted, the target CPU and features, the optimisation level, the LLVM version and the compiler's own
/// executable (any rebuild of netc starts afresh, since its optimisation pipeline may have changed).
///
/// An entry is two files named by a 64-bit FNV-1a hash of that key: `HASH.key`, the key itself, and `HASH.o`, the
/// object. A lookup compares the whole key, so two keys with the same hash never share code. Files are written
/// under temporary names and renamed, the object first, so a reader sees a complete entry or none; a damaged or
/// unreadable entry is a miss. The folder is kept under ``byteLimit``: a lookup that finds its entry marks it used,
/// and a compilation that stored entries and took the folder past the limit removes the least recently used ones
/// (see `CodeCache+Eviction.swift`; a process lists the folder's files to total it once, then counts what it stores);
/// every rebuild of netc would otherwise leave a full set of stale entries behind.
/// With a warm cache, compiling the reference network's training step skips LLVM's
/// optimisation and code generation, which take nine tenths of its compile time.
public struct CodeCache: Hashable, Sendable {
    /// The folder holding the entries.
    public var folder: String
    /// The most bytes the folder's files may take; a compilation that stores beyond it removes the least recently
    /// used entries until they take three quarters of it.
    public var byteLimit: Int

    /// 1 GiB: about 50 compilations of the reference network's training step (its modules' keys hold their IR).
    public static let defaultByteLimit = 1 << 30

    /// A cache in `folder` (created on first store) of at most `byteLimit` bytes.
    public init(folder: String, byteLimit: Int = CodeCache.defaultByteLimit) {
        self.folder = folder
        self.byteLimit = byteLimit
    }

    /// `netc/code` in the user's cache folder (`$XDG_CACHE_HOME`, else `~/.cache`).
    public static var defaultFolder: String {
        (UserCacheFolder.path as NSString).appendingPathComponent("code")
    }

    /// The key of a module's IR compiled for `target` at `optimization`.
    static func key(ir: String, target: HostTarget, optimization: OptimizationLevel) -> String {
        """
        netc code cache 1
        compiler \(compilerIdentity)
        llvm \(LLVMVersion.headers)
        target \(target.triple) \(target.cpuName) \(target.features)
        optimization \(optimization)

        """ + ir
    }

    /// The object compiled before for `key`, or nil.
    func object(for key: String) -> [UInt8]? {
        let stem = path(for: key)
        guard let stored = FileManager.default.contents(atPath: stem + ".key"), stored.elementsEqual(key.utf8),
            let object = FileManager.default.contents(atPath: stem + ".o")
        else { return nil }
        markUsed(stem: stem)
        return [UInt8](object)
    }

    /// Keeps `object` for `key`; a cache that cannot be written is skipped silently, as compiling does not need it.
    /// The folder may grow past ``byteLimit`` until `evictLeastRecentlyUsed()` runs.
    func store(_ object: [UInt8], for key: String) {
        let stem = path(for: key)
        let scratch = "\(stem).\(ProcessInfo.processInfo.processIdentifier).\(UInt64.random(in: 0...UInt64.max))"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(object).write(to: URL(fileURLWithPath: scratch + ".o"))
            try FileManager.default.moveItemReplacing(from: scratch + ".o", to: stem + ".o")
            try Data(key.utf8).write(to: URL(fileURLWithPath: scratch + ".key"))
            try FileManager.default.moveItemReplacing(from: scratch + ".key", to: stem + ".key")
            countStored(bytes: object.count + key.utf8.count)
        } catch {
            try? FileManager.default.removeItem(atPath: scratch + ".o")
            try? FileManager.default.removeItem(atPath: scratch + ".key")
        }
    }

    private func path(for key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return (folder as NSString).appendingPathComponent(String(hash, radix: 16))
    }

    /// The running executable's path, size and modification time.
    private static let compilerIdentity: String = {
        let path =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? "netc"
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
        return "\(path) \(size) \(modified)"
    }()
}

extension FileManager {
    /// Renames `source` to `destination`, replacing any file there (POSIX rename: atomic on one file system).
    fileprivate func moveItemReplacing(from source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
