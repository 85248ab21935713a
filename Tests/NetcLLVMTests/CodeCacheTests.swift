import Foundation
import NetcGraph
import NetcLLVM
import NetcTestSupport
import Testing

@Suite struct CodeCacheTests {
    private static func temporaryFolder() -> String {
        (NSTemporaryDirectory() as NSString).appendingPathComponent("netc-code-cache-\(UUID().uuidString)")
    }

    private static func files(in folder: String) throws -> [String: Date] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        return try Dictionary(
            uniqueKeysWithValues: names.map { name in
                let attributes = try FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)")
                return (name, try #require(attributes[.modificationDate] as? Date))
            })
    }

    /// A first compilation fills the cache with an object and a key per module; a second loads every module from
    /// it, writes nothing, and its code computes what code compiled without a cache computes, to the bit.
    @Test func secondCompilationLoadsEveryModuleFromTheCache() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let graph = try NetworkModel(ReferenceNetwork.spec, batchSize: 4, mode: .inference).graph
        let cached = CompilationOptions(threads: 2, codeCache: CodeCache(folder: folder))
        let first = try JITBackend(options: cached).compile(graph, seed: 3)
        #expect(first.cachedModules == 0)
        let filled = try Self.files(in: folder)
        #expect(filled.keys.filter { $0.hasSuffix(".o") }.count == first.modules)
        #expect(filled.keys.filter { $0.hasSuffix(".key") }.count == first.modules)

        let second = try JITBackend(options: cached).compile(graph, seed: 3)
        #expect(second.cachedModules == second.modules)
        #expect(try Self.files(in: folder) == filled)
        let fresh = try JITBackend(options: CompilationOptions(threads: 2)).compile(graph, seed: 3)
        let images = try #require(ReferenceNetwork.batch(4)[.images])
        #expect(try second.run([.images: images]) == fresh.run([.images: images]))
    }

    /// An entry is used only for its exact key: a key file that differs in one byte (as another module with the
    /// same hash would) is a miss, and the module is compiled again and stored afresh.
    @Test func anEntryWhoseKeyDiffersIsNotUsed() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let graph = try NetworkModel(ReferenceNetwork.spec, batchSize: 2, mode: .inference).graph
        let options = CompilationOptions(threads: 1, codeCache: CodeCache(folder: folder))
        let first = try JITBackend(options: options).compile(graph, seed: 3)
        let keyFile = try #require(try Self.files(in: folder).keys.first { $0.hasSuffix(".key") })
        var key = try #require(FileManager.default.contents(atPath: "\(folder)/\(keyFile)"))
        key[key.count - 1] ^= 1
        try key.write(to: URL(fileURLWithPath: "\(folder)/\(keyFile)"))

        let second = try JITBackend(options: options).compile(graph, seed: 3)
        #expect(second.cachedModules == first.modules - 1)
        #expect(FileManager.default.contents(atPath: "\(folder)/\(keyFile)") != key, "stored afresh")
    }
}
