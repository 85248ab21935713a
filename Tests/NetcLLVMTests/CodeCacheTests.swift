import Foundation
import NetcGraph
import NetcLLVM
import NetcTestSupport
import Testing

@Suite struct CodeCacheTests {
    /// A first compilation fills the cache with an object and a key per module; a second loads every module from
    /// it, writes nothing, and its code computes what code compiled without a cache computes, to the bit.
    @Test func secondCompilationLoadsEveryModuleFromTheCache() throws {
        let folder = CodeCacheFolder.temporary()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let graph = try NetworkModel(ReferenceNetwork.spec, batchSize: 4, mode: .inference).graph
        let cached = CompilationOptions(threads: 2, codeCache: CodeCache(folder: folder))
        let first = try JITBackend(options: cached).compile(graph, seed: 3)
        #expect(first.cachedModules == 0)
        let filled = try CodeCacheFolder.files(in: folder)
        #expect(filled.keys.filter { $0.hasSuffix(".o") }.count == first.modules)
        #expect(filled.keys.filter { $0.hasSuffix(".key") }.count == first.modules)

        let second = try JITBackend(options: cached).compile(graph, seed: 3)
        #expect(second.cachedModules == second.modules)
        let reread = try CodeCacheFolder.files(in: folder)
        #expect(reread.keys.sorted() == filled.keys.sorted())
        let objects = { (files: [String: Date]) in files.filter { $0.key.hasSuffix(".o") } }
        #expect(objects(reread) == objects(filled), "no object rewritten")
        let fresh = try JITBackend(options: CompilationOptions(threads: 2)).compile(graph, seed: 3)
        let images = try #require(ReferenceNetwork.batch(4)[.images])
        #expect(try second.run([.images: images]) == fresh.run([.images: images]))
    }

    /// An entry is used only for its exact key: a key file that differs in one byte (as another module with the
    /// same hash would) is a miss, and the module is compiled again and stored afresh.
    @Test func anEntryWhoseKeyDiffersIsNotUsed() throws {
        let folder = CodeCacheFolder.temporary()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let graph = try NetworkModel(ReferenceNetwork.spec, batchSize: 2, mode: .inference).graph
        let options = CompilationOptions(threads: 1, codeCache: CodeCache(folder: folder))
        let first = try JITBackend(options: options).compile(graph, seed: 3)
        let keyFile = try #require(try CodeCacheFolder.files(in: folder).keys.first { $0.hasSuffix(".key") })
        var key = try #require(FileManager.default.contents(atPath: "\(folder)/\(keyFile)"))
        key[key.count - 1] ^= 1
        try key.write(to: URL(fileURLWithPath: "\(folder)/\(keyFile)"))

        let second = try JITBackend(options: options).compile(graph, seed: 3)
        #expect(second.cachedModules == first.modules - 1)
        #expect(FileManager.default.contents(atPath: "\(folder)/\(keyFile)") != key, "stored afresh")
    }

    /// Past its byte limit the cache removes the entries used longest ago: of two networks compiled two hours and
    /// one hour ago, the older one that was just compiled again (its entries found, so marked used) stays whole, and
    /// the other one loses entries when a third network's code takes the folder over the limit. (How many it loses
    /// depends on when, among the third network's stores, the limit is crossed.)
    @Test func aFullCacheRemovesTheLeastRecentlyUsedEntries() throws {
        let folder = CodeCacheFolder.temporary()
        let scratch = CodeCacheFolder.temporary()
        defer { for path in [folder, scratch] { try? FileManager.default.removeItem(atPath: path) } }
        func compile(batch: Int, in folder: String, byteLimit: Int = CodeCache.defaultByteLimit) throws -> Set<String> {
            let graph = try NetworkModel(ReferenceNetwork.spec, batchSize: batch, mode: .inference).graph
            let cache = CodeCache(folder: folder, byteLimit: byteLimit)
            _ = try JITBackend(options: CompilationOptions(threads: 2, codeCache: cache)).compile(graph, seed: 3)
            return Set(try CodeCacheFolder.files(in: folder).keys)
        }
        func bytes(_ names: Set<String>, in folder: String) throws -> Int {
            try names.reduce(0) { total, name in
                let attributes = try FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)")
                return total + ((attributes[.size] as? NSNumber)?.intValue ?? 0)
            }
        }
        func age(_ names: Set<String>, hours: Double) throws {
            for name in names {
                try FileManager.default.setAttributes(
                    [.modificationDate: Date(timeIntervalSinceNow: -3600 * hours)], ofItemAtPath: "\(folder)/\(name)")
            }
        }
        let first = try compile(batch: 2, in: folder)
        try age(first, hours: 2)
        let second = try compile(batch: 3, in: folder).subtracting(first)
        try age(second, hours: 1)
        #expect(try compile(batch: 2, in: folder) == first.union(second), "a second compilation stores nothing")
        // Modules whose code does not depend on the batch size are shared with the third network, so they are used.
        let third = try compile(batch: 4, in: scratch)
        let stale = second.subtracting(third)
        // Over the limit with all three; the first and third fit in the three quarters eviction leaves.
        let kept = try bytes(first, in: folder) + bytes(third.subtracting(first), in: scratch)
        let evicted = try bytes(stale, in: folder)
        let byteLimit = kept * 4 / 3 + 1
        try #require(kept + evicted > byteLimit)

        let left = try compile(batch: 4, in: folder, byteLimit: byteLimit)
        #expect(try bytes(left, in: folder) <= byteLimit)
        #expect(left.isSuperset(of: first), "used a moment ago")
        #expect(left.isSuperset(of: third), "just stored")
        #expect(left.intersection(stale).count < stale.count, "used longest ago: the only ones removed")
    }
}
