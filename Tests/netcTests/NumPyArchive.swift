/// Writes `.npz` archives as `np.savez` does, for the command-line tests: `.npy` arrays (format 1.0, C order)
/// stored uncompressed in a zip archive. NumPy itself wrote the fixtures of the reader's own tests.
enum NumPyArchive {
    /// An `.npy` file of `values` (already in the byte order `descr` says) with dimensions `shape`.
    static func npy(descr: String, shape: [Int], data: [UInt8]) -> [UInt8] {
        let dimensions = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(dimensions)), }"
        // NumPy pads the header with spaces so that the data starts at a multiple of 64 bytes.
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = UInt16(header.utf8.count)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8)
            + data
    }

    /// A zip archive holding `members` (name, contents) stored uncompressed.
    static func zip(_ members: [(name: String, contents: [UInt8])]) -> [UInt8] {
        var archive: [UInt8] = []
        var directory: [UInt8] = []
        for (name, contents) in members {
            let offset = archive.count
            let common =
                little(0, 2) + little(0, 2) + little(0, 2) + little(0, 2) + little(Int(crc32(contents)), 4)
                + little(contents.count, 4) + little(contents.count, 4) + little(name.utf8.count, 2) + little(0, 2)
            archive += little(0x0403_4B50, 4) + little(20, 2) + common + Array(name.utf8) + contents
            // Made by and needed version, the common fields, then no comment, disk 0, no attributes, the offset.
            directory +=
                little(0x0201_4B50, 4) + little(20, 2) + little(20, 2) + common + little(0, 2) + little(0, 2)
                + little(0, 2) + little(0, 4) + little(offset, 4) + Array(name.utf8)
        }
        let end =
            little(0x0605_4B50, 4) + little(0, 2) + little(0, 2) + little(members.count, 2) + little(members.count, 2)
            + little(directory.count, 4) + little(archive.count, 4) + little(0, 2)
        return archive + directory + end
    }

    private static func little(_ value: Int, _ size: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// The zip CRC-32, bit by bit from its definition.
    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }
}
