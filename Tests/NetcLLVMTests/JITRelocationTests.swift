import Foundation
import NetcGraph
import NetcLLVM
import NetcLoops
import Testing

/// The JIT links each object file's sections into memory mapped for each of them apart (RuntimeDyld's section memory
/// manager), wherever the system finds room: in a process whose address space is fragmented (the address sanitizer
/// reserves terabytes; `netc tune` maps and frees hundreds of sessions) the code and the read-only data of one object
/// can lie more than 2 GiB apart. LLVM 14's RuntimeDyld, built without assertions, then truncates a 32-bit offset from
/// one section to the other without a word, and the code jumps somewhere else: the "wild jump" that `netc tune`
/// died of under the address sanitizer now and then. A jump table's entries are such offsets, from `.rodata` to
/// `.text`. So the objects the JIT links reach from one section to another only with 64-bit relocations.
@Suite struct JITRelocationTests {
    /// The relocations the JIT code model may use: absolute and GOT-relative addresses, all 64 bits wide.
    static let wideRelocations: Set<String> = [
        "R_X86_64_64", "R_X86_64_GOT64", "R_X86_64_GOTOFF64", "R_X86_64_GOTPC64",
    ]

    /// Every candidate schedule of the weight gradients of the `digits8` example's convolutions at batch 10 (where
    /// one candidate's tap loop became a jump table on a Zen 3) compiles to objects with only 64-bit relocations, on
    /// every target this machine runs.
    @Test(arguments: WinogradConvolutionTests.targets)
    func everyCandidateReachesAcrossSectionsWithWideRelocations(target: TargetName) throws {
        let folder = CodeCacheFolder.temporary()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let attributes = ConvolutionAttributes(kernel: 3, stride: 1, padding: 1)
        let signatures = [
            KernelSignature(convolution: .weightGradient, input: [10, 1, 8, 8], outChannels: 16, attributes),
            KernelSignature(convolution: .weightGradient, input: [10, 16, 4, 4], outChannels: 32, attributes),
        ]
        for signature in signatures {
            for schedule in ScheduleSpace.candidates(for: signature, on: target.target.description) {
                let options = CompilationOptions(
                    threads: 1, target: target.target, schedules: ScheduleTable(tuned: [signature: schedule]),
                    codeCache: CodeCache(folder: folder))
                _ = try JITBackend(options: options).compile(signature.graph, seed: 1)
            }
        }
        let objects = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".o") }
        #expect(!objects.isEmpty)
        for object in objects {
            let listing = try LLVMTools.run("llvm-readelf", ["--relocations", "--wide", "\(folder)/\(object)"])
            #expect(listing.status == 0, "\(listing.output)")
            let types = Set(
                listing.output.split(separator: "\n").flatMap { $0.split(separator: " ") }.filter {
                    $0.hasPrefix("R_X86_64_")
                }.map(String.init))
            #expect(types.isSubset(of: Self.wideRelocations), "\(target.rawValue), \(object): \(listing.output)")
        }
    }
}
