#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock on a file, held while a closure runs, so that processes sharing a folder (on one
/// machine or on the nodes of a cluster) take turns.
///
/// `flock` locks belong to an open file, so threads of one process exclude each other too; the kernel drops a
/// lock when its holder dies, even by SIGKILL, so no stale lock ever blocks a later run. On NFS, Linux turns
/// `flock` into a POSIX lock that the server sees. Where the lock cannot be had (a file system without locking,
/// such as a Lustre mount without `flock`; a lock file that cannot be created) `body` runs unlocked rather than
/// not at all: the lock only orders writers that would otherwise race.
enum FileLock {
    /// Runs `body` holding the lock on `path` (created if missing), waiting for any other holder first.
    static func withLock<Result>(on path: String, _ body: () throws -> Result) rethrows -> Result {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return try body() }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        return try body()
    }
}
