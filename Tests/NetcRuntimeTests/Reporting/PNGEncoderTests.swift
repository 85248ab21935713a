import Foundation
import NetcGraph
import Testing

@testable import NetcRuntime

/// The PNG/zlib CRC-32 computed bit by bit from its definition, independent of the encoder's table.
private func bitwiseCRC32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
    }
    return ~crc
}

/// Adler-32 from RFC 1950's definition.
private func plainAdler32(_ bytes: [UInt8]) -> UInt32 {
    var a = 1
    var b = 0
    for byte in bytes {
        a = (a + Int(byte)) % 65521
        b = (b + a) % 65521
    }
    return UInt32(b << 16 | a)
}

private func bigEndian32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.reduce(0) { $0 << 8 | UInt32($1) }
}

/// A decoded PNG: its chunks checked, its header read, and its stored-block zlib stream inflated by hand.
struct DecodedPNG {
    var width = 0
    var height = 0
    var bitDepth = 0
    var colourType = -1
    var chunkTypes: [String] = []
    var blockCount = 0
    /// The inflated image data: each row's filter byte then its pixels.
    var rawRows: [UInt8] = []

    init(_ png: [UInt8]) throws {
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var offset = 8
        var idat: [UInt8] = []
        while offset < png.count {
            let length = Int(bigEndian32(png[offset..<offset + 4]))
            let typeAndData = Array(png[offset + 4..<offset + 8 + length])
            let type = String(decoding: typeAndData.prefix(4), as: UTF8.self)
            let storedCRC = bigEndian32(png[offset + 8 + length..<offset + 12 + length])
            #expect(storedCRC == bitwiseCRC32(typeAndData), "CRC of \(type)")
            let data = Array(typeAndData.dropFirst(4))
            chunkTypes.append(type)
            if type == "IHDR" {
                width = Int(bigEndian32(data[0..<4]))
                height = Int(bigEndian32(data[4..<8]))
                bitDepth = Int(data[8])
                colourType = Int(data[9])
                #expect(data[10...] == [0, 0, 0])
            }
            if type == "IDAT" { idat += data }
            offset += 12 + length
        }
        #expect(offset == png.count)
        // zlib: CMF 0x78 (deflate, 32 KiB window), the header a multiple of 31, no preset dictionary.
        try #require(idat.count >= 6)
        #expect(idat[0] == 0x78 && (Int(idat[0]) * 256 + Int(idat[1])) % 31 == 0 && idat[1] & 0x20 == 0)
        var position = 2
        var isFinal = false
        while !isFinal {
            let blockHeader = idat[position]
            isFinal = blockHeader & 1 == 1
            #expect(blockHeader >> 1 & 0b11 == 0, "stored block")
            let length = Int(idat[position + 1]) | Int(idat[position + 2]) << 8
            let complement = Int(idat[position + 3]) | Int(idat[position + 4]) << 8
            #expect(length ^ complement == 0xFFFF)
            rawRows += idat[position + 5..<position + 5 + length]
            position += 5 + length
            blockCount += 1
        }
        #expect(bigEndian32(idat[position..<position + 4]) == plainAdler32(rawRows))
        #expect(position + 4 == idat.count)
    }
}

@Suite("PNG encoder")
struct PNGEncoderTests {
    @Test("checksums match the published check values")
    func checkValues() {
        var crc = CRC32()
        crc.update(Array("123456789".utf8))
        #expect(crc.value == 0xCBF4_3926)
        var adler = Adler32()
        adler.update(Array("Wikipedia".utf8))
        #expect(adler.value == 0x11E6_0398)
    }

    @Test("a small greyscale image decodes to its rows")
    func smallImage() throws {
        let image = Picture(width: 3, height: 2, bytes: [0, 128, 255, 10, 20, 30])
        let decoded = try DecodedPNG(PNGEncoder.png(image))
        #expect(decoded.chunkTypes == ["IHDR", "IDAT", "IEND"])
        #expect(decoded.width == 3 && decoded.height == 2 && decoded.bitDepth == 8 && decoded.colourType == 0)
        #expect(decoded.rawRows == [0, 0, 128, 255, 0, 10, 20, 30])
        #expect(decoded.blockCount == 1)
    }

    @Test("images over 64 KiB split into several stored blocks")
    func largeImage() throws {
        let pixels = (0..<300 * 300).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let decoded = try DecodedPNG(PNGEncoder.png(Picture(width: 300, height: 300, bytes: pixels)))
        #expect(decoded.blockCount == 2)
        let expectedRows = (0..<300).flatMap { row in [0] + pixels[row * 300..<(row + 1) * 300] }
        #expect(decoded.rawRows == expectedRows)
    }

    @Test("a colour image is colour type 2 with red, green and blue bytes per pixel")
    func colourImage() throws {
        let image = Picture(width: 2, height: 1, colour: .rgb, bytes: [255, 0, 0, 0, 128, 255])
        let decoded = try DecodedPNG(PNGEncoder.png(image))
        #expect(decoded.colourType == 2)
        #expect(decoded.rawRows == [0, 255, 0, 0, 0, 128, 255])
    }

    @Test("values are mapped from their range to 0...255, rounded and clamped")
    func floatPixels() {
        let image = Picture(
            values: [-3, 127.6, 300, .nan, 12.4], shape: ImageShape(channels: 1, height: 1, width: 5), range: 0...255)
        #expect(image.bytes == [0, 128, 255, 0, 12])
        let unit = Picture(values: [-1, 0, 0.5, 1], shape: ImageShape(channels: 1, height: 1, width: 4), range: -1...1)
        #expect(unit.bytes == [0, 128, 191, 255])
    }

    @Test("three channels become red, green and blue; any other count the channels' mean in grey")
    func channelsToColour() {
        // A 1×2 image: red (10, 11), green (20, 21), blue (30, 31).
        let rgb = Picture(
            values: [10, 11, 20, 21, 30, 31], shape: ImageShape(channels: 3, height: 1, width: 2), range: 0...255)
        #expect(rgb.colour == .rgb)
        #expect(rgb.bytes == [10, 20, 30, 11, 21, 31])
        let two = Picture(
            values: [10, 11, 20, 21], shape: ImageShape(channels: 2, height: 1, width: 2), range: 0...255)
        #expect(two.colour == .grey)
        #expect(two.bytes == [15, 16])
    }
}
