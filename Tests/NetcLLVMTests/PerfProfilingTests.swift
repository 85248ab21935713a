import Foundation
import Testing

@testable import NetcLLVM

@Suite("PerfProfiling: JIT-compiled functions named for Linux perf")
struct PerfProfilingTests {
    @Test("A session reporting to perf writes each function it compiles, by name, into this process's jitdump file")
    func namesCompiledFunctions() throws {
        let name = "netc_perf_probe_\(UInt32.random(in: 0...UInt32.max))"
        let jit = try JITSession(reportsToPerf: true)
        try jit.add(TestKernels.module { TestKernels.add(named: name, in: $0) })
        let add = unsafeBitCast(try jit.address(of: name), to: AddFunction.self)
        withExtendedLifetime(jit) { #expect(add(40, 2) == 42) }

        let dump = try #require(Self.dumpFile(), "no jit-\(getpid()).dump where LLVM's perf listener writes it")
        let contents = try Data(contentsOf: dump)
        #expect(contents.range(of: Data(name.utf8)) != nil, "\(dump.path) does not name \(name)")
        // Only this test asks for the file: remove its folder rather than leave it behind.
        try FileManager.default.removeItem(at: dump.deletingLastPathComponent())
    }

    @Test("Asking for perf from an LLVM without perf support says so, and an LLVM with it says nothing")
    func saysWhenPerfSupportIsMissing() throws {
        let warning = try #require(PerfProfiling.unavailableWarning(listenerAvailable: false))
        #expect(warning.contains("NETC_PERF") && warning.contains("without perf support"))
        #expect(PerfProfiling.unavailableWarning(listenerAvailable: true) == nil)
        #expect(PerfProfiling.listener != nil, "Debian's LLVM 14 has perf support")
    }

    /// This process's jitdump file: LLVM writes `jit-PID.dump` into a new folder `llvm-IR-jit-DATE-*` of
    /// `$JITDUMPDIR/.debug/jit`, or of its default base's `.debug/jit` (`/tmp` with Debian's LLVM 14; the home
    /// directory in other builds).
    static func dumpFile() -> URL? {
        let environment = ProcessInfo.processInfo.environment
        let bases = [environment["JITDUMPDIR"], environment["TMPDIR"], "/tmp", environment["HOME"]].compactMap { $0 }
        return bases.lazy.flatMap { base in
            let folder = URL(fileURLWithPath: base).appendingPathComponent(".debug/jit")
            let runs = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
            return runs.map { $0.appendingPathComponent("jit-\(getpid()).dump") }
        }.first { FileManager.default.fileExists(atPath: $0.path) }
    }
}
