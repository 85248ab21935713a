import Foundation
import NetcLLVM
import Testing

@Suite("HostTarget and TargetMachine: the machine netc compiles for")
struct HostTargetTests {
    @Test("The host triple is the one LLVM was configured for")
    func hostTriple() throws {
        let expected = try LLVMTools.run("llvm-config", ["--host-target"]).output
        #expect(HostTarget.current.triple == expected.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("The host CPU is the one llc detects")
    func hostCPU() throws {
        let version = try LLVMTools.run("llc", ["--version"]).output
        #expect(version.contains("Host CPU: \(HostTarget.current.cpuName)\n"))
    }

    @Test("Features are a +/- list in which AVX2 implies AVX")
    func features() {
        let host = HostTarget.current
        #expect(host.features.split(separator: ",").allSatisfy { $0.hasPrefix("+") || $0.hasPrefix("-") })
        if host.hasFeature("avx2") {
            #expect(host.hasFeature("avx"))
        }
        #expect(!host.hasFeature("no-such-feature"))
    }

    @Test("A host target machine describes 64-bit little-endian x86 data")
    func dataLayout() throws {
        let machine = try TargetMachine()
        #expect(machine.host == .current)
        // x86-64 layouts begin with "e" (little-endian) and declare 64-bit integers 64-bit aligned.
        #expect(machine.dataLayout.hasPrefix("e-"))
        #expect(machine.dataLayout.contains("i64:64"))
    }
}
