import Foundation
import Testing

@testable import NetcRuntime

/// `bytes` compressed by the system's `gzip` (an encoder independent of the zlib netc reads with).
func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-c", "-n", "-9"]
    let (input, output) = (Pipe(), Pipe())
    (process.standardInput, process.standardOutput) = (input, output)
    try process.run()
    // Write from another thread so a large input cannot dead-lock against the unread output.
    let writer = Thread {
        input.fileHandleForWriting.write(Data(bytes))
        try? input.fileHandleForWriting.close()
    }
    writer.start()
    let compressed = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Array(compressed)
}

/// An IDX images file of `count` copies of one 2×3 image.
private func images(count: Int) -> [UInt8] {
    let header: [UInt8] = [0, 0, 8, 3, 0, 0, 0, UInt8(count), 0, 0, 0, 2, 0, 0, 0, 3]
    return header + (0..<6 * count).map { UInt8($0 % 6 * 40) }
}

@Suite("gzip-compressed data files")
struct GzipTests {
    static let model = DataExpectation.model(height: 2, width: 3)

    @Test("a gzip file reads exactly as the file it compresses, whatever its name")
    func sameAsUncompressed() throws {
        let fixtures = try FixtureDirectory()
        let plain = images(count: 40)
        let compressed = try gzipped(plain)
        #expect(compressed.count < plain.count && compressed.prefix(2) == [0x1F, 0x8B])
        let fromGzip = try Dataset.loadIDX(
            images: fixtures.write("train-images-idx3-ubyte.gz", bytes: compressed), labels: nil, expecting: Self.model)
        let fromPlain = try Dataset.loadIDX(
            images: fixtures.write("train-images-idx3-ubyte", bytes: plain), labels: nil, expecting: Self.model)
        #expect(fromGzip == fromPlain)
        #expect(fromGzip.count == 40)
    }

    @Test("members of a multi-member gzip file follow one another")
    func multipleMembers() throws {
        let plain = images(count: 3)
        let joined = try gzipped(Array(plain.prefix(10))) + gzipped(Array(plain.dropFirst(10)))
        #expect(try Zlib.gunzip(joined) == plain)
    }

    @Test("damage is an error at a byte of the compressed file; problems inside name the decompressed data")
    func damage() throws {
        let compressed = try gzipped(images(count: 40))
        let truncated = LocatedBytes(Array(compressed.dropLast(20)), path: "x.gz")
        let cut = try #require(throws: DataError.self) { try decompressedIfGzip(truncated) }
        #expect(cut.kind == .corruptCompressedData(reason: "the compressed data ends early (is the file truncated?)"))
        #expect(cut.location == .byte(compressed.count - 20))

        var flipped = compressed
        flipped[compressed.count - 6] ^= 0xFF  // inside the CRC-32 of the trailer
        let checksum = try #require(throws: DataError.self) {
            try decompressedIfGzip(LocatedBytes(flipped, path: "x.gz"))
        }
        #expect(checksum.kind == .corruptCompressedData(reason: "incorrect data check"))
        #expect(
            checksum.description.hasPrefix(
                "x.gz: error: the compressed data is damaged: incorrect data check (at byte "))

        let trailing = LocatedBytes(compressed + [1, 2, 3], path: "x.gz")
        let extra = try #require(throws: DataError.self) { try decompressedIfGzip(trailing) }
        #expect(extra.kind == .corruptCompressedData(reason: "unexpected bytes after the gzip data"))
        #expect(extra.location == .byte(compressed.count))

        var wrongType = images(count: 1)
        wrongType[2] = 0x0D
        let inside = try #require(throws: DataError.self) {
            try Dataset.parseIDX(
                images: decompressedIfGzip(LocatedBytes(gzipped(wrongType), path: "x.gz")), labels: nil,
                expecting: Self.model)
        }
        #expect(inside.location == .byteIn(2, part: "the decompressed data"))
    }

    @Test("zlib's CRC-32 is the standard one")
    func checksum() {
        #expect(Zlib.crc32(Array("123456789".utf8)[...]) == 0xCBF4_3926)
    }
}
