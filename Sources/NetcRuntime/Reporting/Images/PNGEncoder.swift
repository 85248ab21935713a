/// Writes 8-bit greyscale and RGB PNG files with nothing but the standard library.
///
/// The image data is a zlib stream of "stored" (uncompressed) deflate blocks: a 28×28 digit costs under
/// 900 bytes, and any PNG decoder reads it. Chunks carry their CRC-32 and the stream its Adler-32.
enum PNGEncoder {
    /// The eight bytes every PNG file starts with.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The most bytes one stored deflate block can hold.
    static let largestStoredBlock = 65_535

    /// The PNG file of `image`.
    static func png(_ image: Picture) -> [UInt8] {
        let colourType: UInt8
        switch image.colour {
        case .grey: colourType = 0
        case .rgb: colourType = 2
        }
        var header: [UInt8] = []
        header += bigEndian(UInt32(image.width)) + bigEndian(UInt32(image.height))
        header += [8, colourType, 0, 0, 0]  // bit depth 8, the colour type, deflate, adaptive filters, no interlace
        let rowBytes = image.width * image.colour.bytesPerPixel
        var rows: [UInt8] = []
        rows.reserveCapacity((rowBytes + 1) * image.height)
        for row in 0..<image.height {
            rows.append(0)  // filter type "None"
            rows += image.bytes[row * rowBytes..<(row + 1) * rowBytes]
        }
        return signature + chunk("IHDR", header) + chunk("IDAT", zlibStored(rows)) + chunk("IEND", [])
    }

    /// `data` as a zlib stream of stored deflate blocks (RFC 1950 and RFC 1951 §3.2.4).
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]  // deflate, 32 KiB window; 0x7801 is a multiple of 31
        var start = 0
        repeat {
            let end = min(start + largestStoredBlock, data.count)
            let length = UInt16(end - start)
            stream.append(end == data.count ? 1 : 0)  // BFINAL on the last block, BTYPE 00 (stored)
            stream += littleEndian(length) + littleEndian(~length)
            stream += data[start..<end]
            start = end
        } while start < data.count
        var adler = Adler32()
        adler.update(data)
        return stream + bigEndian(adler.value)
    }

    /// One chunk: length, type, data and the CRC-32 of type and data.
    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        var crc = CRC32()
        crc.update(typeBytes)
        crc.update(data)
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(crc.value)
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }

    private static func littleEndian(_ value: UInt16) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]
    }
}
