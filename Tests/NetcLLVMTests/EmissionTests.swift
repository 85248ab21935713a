import Foundation
import Testing

@testable import NetcLLVM

@Suite("TargetMachine emission: assembly and object files")
struct EmissionTests {
    /// The first four bytes of every ELF file.
    static let elfMagic: [UInt8] = [0x7F, 0x45, 0x4C, 0x46]

    @Test(
        "Optimised assembly defines the function and uses 256-bit registers",
        .enabled(if: HostTarget.current.hasFeature("avx2")))
    func assembly() throws {
        var module = TestKernels.module(TestKernels.saxpy)
        let machine = try TargetMachine()
        try module.optimize(.aggressive, for: machine)
        let assembly = String(decoding: try machine.emit(module, as: .assembly), as: UTF8.self)
        #expect(assembly.contains("\nsaxpy:"))
        #expect(assembly.contains("%ymm"))
        #expect(assembly.contains("vmulps") || assembly.contains("vfmadd"))
    }

    @Test("An object file is ELF and defines the module's functions")
    func objectFile() throws {
        let module = TestKernels.module(TestKernels.add, TestKernels.saxpy)
        let object = try TargetMachine().emit(module, as: .object)
        #expect(Array(object.prefix(4)) == Self.elfMagic)

        let path = LLVMTools.temporaryPath("kernels.o")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(object).write(to: URL(fileURLWithPath: path))
        let symbols = try LLVMTools.run("llvm-nm", ["--defined-only", path])
        #expect(symbols.status == 0)
        #expect(symbols.output.contains(" T add\n"))
        #expect(symbols.output.contains(" T saxpy\n"))
    }

    @Test("Writing an object file puts an ELF file at the path")
    func writeObjectFile() throws {
        let module = TestKernels.module(TestKernels.add)
        let path = LLVMTools.temporaryPath("add.o")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TargetMachine().write(module, as: .object, to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(bytes.prefix(4)) == Self.elfMagic)
    }

    @Test("Writing into a missing directory is a thrown emission error naming the path")
    func writeFailure() throws {
        let module = TestKernels.module(TestKernels.add)
        let path = "/nonexistent-netc-directory/add.o"
        let machine = try TargetMachine()
        let error = #expect(throws: LLVMError.self) { try machine.write(module, as: .object, to: path) }
        #expect(error?.stage == .emission)
        #expect(error?.message == "cannot write '\(path)': No such file or directory")
    }
}
