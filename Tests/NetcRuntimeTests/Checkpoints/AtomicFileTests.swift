import Foundation
import Testing

@testable import NetcRuntime

/// The names in `directory`, hidden ones (temporary files) included, sorted.
private func listing(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
}

private func contents(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}

@Suite("Atomic file writes")
struct AtomicFileTests {
    @Test("a new file is written and an old one replaced, leaving no temporary file")
    func writeAndReplace() throws {
        let directory = try FixtureDirectory()
        let path = directory.path + "/metrics.csv"
        try AtomicFile.write(Array("first\n".utf8), to: path)
        #expect(try contents(path) == "first\n")
        try AtomicFile.write(Array("second\n".utf8), to: path)
        #expect(try contents(path) == "second\n")
        try AtomicFile.write([], to: path)
        #expect(try contents(path) == "")
        #expect(try listing(directory.path) == ["metrics.csv"])
    }

    @Test("a temporary name that is taken fails without touching the target or the other file")
    func temporaryNameCollision() throws {
        let directory = try FixtureDirectory()
        let path = try directory.write("model.safetensors", text: "old")
        _ = try directory.write(".model.safetensors.tmp-taken", text: "someone else's")
        let error = #expect(throws: CheckpointError.self) {
            try AtomicFile.write(Array("new".utf8), to: path, temporaryName: ".model.safetensors.tmp-taken")
        }
        #expect(error?.path == path)
        let step = AtomicFile.Step.createTemporaryFile(name: ".model.safetensors.tmp-taken")
        #expect(error?.kind == .unwritable(step: step, reason: String(cString: strerror(EEXIST))))
        #expect(try contents(path) == "old")
        #expect(try contents(directory.path + "/.model.safetensors.tmp-taken") == "someone else's")
    }

    @Test("a rename that fails (the target is a directory) removes the written temporary file")
    func renameFailureCleansUp() throws {
        let directory = try FixtureDirectory()
        let target = directory.path + "/plots"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        _ = try directory.write("plots/keep.png", text: "png")
        let error = #expect(throws: CheckpointError.self) { try AtomicFile.write(Array("data".utf8), to: target) }
        guard case .unwritable(.replaceTarget, _)? = error?.kind else {
            Issue.record("expected a rename failure, got \(String(describing: error))")
            return
        }
        #expect(error?.description.hasPrefix("\(target): error: cannot write the file: renaming") == true)
        #expect(try listing(directory.path) == ["plots"])
        #expect(try contents(target + "/keep.png") == "png")
    }

    @Test("a missing directory is reported with the path")
    func missingDirectory() throws {
        let directory = try FixtureDirectory()
        let path = directory.path + "/no/such/dir/submission.csv"
        let error = #expect(throws: CheckpointError.self) { try AtomicFile.write([1], to: path) }
        #expect(error?.path == path)
        #expect(error?.description.contains("No such file or directory") == true)
    }

    @Test("a read-only directory leaves the old file intact")
    func readOnlyDirectory() throws {
        let directory = try FixtureDirectory()
        let path = try directory.write("best.safetensors", text: "old")
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path) }
        let error = try withoutPermissionOverride { () -> CheckpointError? in
            do throws(CheckpointError) {
                try AtomicFile.write(Array("new".utf8), to: path)
                return nil
            } catch {
                return error
            }
        }
        guard case .unwritable(.createTemporaryFile, let reason)? = error?.kind else {
            Issue.record("expected the temporary file to be refused, got \(String(describing: error))")
            return
        }
        #expect(reason == String(cString: strerror(EACCES)))
        #expect(try contents(path) == "old")
        #expect(try listing(directory.path) == ["best.safetensors"])
    }
}

/// Runs `write` on a thread of its own whose file-system user is `nobody`, so permissions hold for it even when
/// the tests run as root (as CI does): Linux's `setfsuid` is per thread and drops root's permission override.
/// Elsewhere, and for a user who is not root, `write` runs with the process's own rights.
private func withoutPermissionOverride(_ write: @escaping @Sendable () -> CheckpointError?) throws -> CheckpointError? {
    #if os(Linux)
        typealias SetFileSystemUser = @convention(c) (UInt32) -> Int32
        let setfsuid = try #require(dlsym(nil, "setfsuid"))
        let setFileSystemUser = unsafeBitCast(setfsuid, to: SetFileSystemUser.self)
        let nobody: UInt32 = 65534
        let outcome = WriteOutcome()
        let thread = Thread {
            let previous = setFileSystemUser(nobody)
            outcome.error = write()
            _ = setFileSystemUser(UInt32(previous))
            outcome.done.signal()
        }
        thread.start()
        outcome.done.wait()
        return outcome.error
    #else
        return write()
    #endif
}

/// What a write on another thread gave: `error` is set before `done` is signalled and read after the wait.
private final class WriteOutcome: @unchecked Sendable {
    var error: CheckpointError?
    let done = DispatchSemaphore(value: 0)
}
