import Foundation
import NetcLLVM
import Testing

@Suite("LLVM version: the headers and the library are LLVM 14")
struct LLVMVersionTests {
    @Test("The module was compiled against LLVM 14 headers, not the Swift toolchain's")
    func headersAreLLVM14() {
        #expect(LLVMVersion.headers.major == 14)
    }

    @Test(
        "The process loaded libLLVM-14 and no other LLVM",
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/maps")))
    func libraryIsLLVM14() throws {
        _ = HostTarget.current  // makes sure the library has been used, hence loaded
        // /proc files report size 0, so read to the end instead of trusting the size.
        let file = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        let maps = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        let llvmLibraries = Set(
            maps.split(separator: "\n").compactMap { $0.split(separator: "/").last }
                .filter { $0.hasPrefix("libLLVM") })
        #expect(!llvmLibraries.isEmpty)
        #expect(llvmLibraries.allSatisfy { $0.hasPrefix("libLLVM-14") }, "loaded: \(llvmLibraries)")
    }
}
