import NetcGraph

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes whole files atomically: a reader (or a crash) sees the old contents or the new, never a torn file.
///
/// The bytes go to a temporary file in the target's directory (`.NAME.tmp-PID-RANDOM`, so the rename
/// never crosses file systems), which is flushed to disk, renamed over the target, and the directory is
/// flushed so the rename itself is durable. Every file netc writes (checkpoints, metrics, submissions,
/// plots) goes through here.
public enum AtomicFile {
    /// The stage of an atomic write that failed.
    public enum Step: Equatable, Sendable {
        /// Creating the temporary file `name` (exclusively: an existing file of that name is never touched).
        case createTemporaryFile(name: String)
        /// Writing the bytes to the temporary file.
        case writeTemporaryFile
        /// `fsync` of the temporary file.
        case syncTemporaryFile
        /// `close` of the temporary file.
        case closeTemporaryFile
        /// Renaming the temporary file over the target.
        case replaceTarget
        /// `fsync` of the directory after the rename; the new contents are already in place.
        case syncDirectory
    }

    /// Replaces the file at `path` with `bytes`, or leaves it untouched and removes the temporary file.
    ///
    /// - Throws: ``CheckpointError`` of kind ``CheckpointError/Kind/unwritable(step:reason:)`` naming `path`.
    public static func write(_ bytes: [UInt8], to path: String) throws(CheckpointError) {
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try write(bytes, to: path, temporaryName: ".\(fileName(of: path)).tmp-\(getpid())-\(random)")
    }

    /// ``write(_:to:)`` with a chosen temporary file name, so tests can make the name collide.
    static func write(_ bytes: [UInt8], to path: String, temporaryName: String) throws(CheckpointError) {
        func failure(_ step: Step) -> CheckpointError {
            CheckpointError(path: path, kind: .unwritable(step: step, reason: String(cString: strerror(errno))))
        }
        let directory = directory(of: path)
        let temporaryPath = directory + "/" + temporaryName
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(.createTemporaryFile(name: temporaryName)) }

        var error: CheckpointError?
        if !writeAll(bytes, to: descriptor) {
            error = failure(.writeTemporaryFile)
        } else if fsync(descriptor) != 0 {
            error = failure(.syncTemporaryFile)
        }
        if close(descriptor) != 0, error == nil { error = failure(.closeTemporaryFile) }
        if error == nil, rename(temporaryPath, path) != 0 { error = failure(.replaceTarget) }
        if let error {
            unlink(temporaryPath)
            throw error
        }
        guard syncDirectory(directory) else { throw failure(.syncDirectory) }
    }

    /// `fsync` of the directory; file systems that cannot sync a directory (`EINVAL`) count as success.
    private static func syncDirectory(_ directory: String) -> Bool {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return fsync(descriptor) == 0 || errno == EINVAL
    }

    /// The directory part of `path` (`.` for a bare name, `/` for a file in the root).
    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of `path`.
    private static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

/// Writes every byte to `descriptor`, retrying short writes and interruptions; false on an error.
private func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
    bytes.withUnsafeBytes { buffer in
        var written = 0
        while written < buffer.count, let base = buffer.baseAddress {
            let count = write(descriptor, base + written, buffer.count - written)
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            written += count
        }
        return true
    }
}
