/// The bytes of a binary file, or of a part of one (a member of an archive, the decompressed contents of a
/// gzip file), with what an error needs to point into them.
struct LocatedBytes {
    /// The bytes.
    let bytes: [UInt8]
    /// The file they come from, as the user named it.
    let path: String
    /// The part of the file they are, when they are not the file itself: `y.npy`, `the decompressed data`.
    let part: String?

    /// Bytes that are the whole file at `path`, or its part `part`.
    init(_ bytes: [UInt8], path: String, part: String? = nil) {
        self.bytes = bytes
        self.path = path
        self.part = part
    }

    /// The place of byte `offset` of these bytes.
    func location(_ offset: Int) -> DataError.Location {
        part.map { .byteIn(offset, part: $0) } ?? .byte(offset)
    }

    /// An error of `kind` at byte `offset` of these bytes.
    func error(_ kind: DataError.Kind, at offset: Int) -> DataError {
        DataError(path: path, location: location(offset), kind: kind)
    }

    /// The little-endian unsigned integer of `size` bytes (at most 8) at `offset`, which must leave that many;
    /// an 8-byte value past `Int.max` comes out negative, which callers reject as a size or offset.
    func littleEndian(at offset: Int, size: Int) -> Int {
        bytes[offset..<offset + size].reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    /// The big-endian 32-bit word at `offset`, which must leave four bytes.
    func bigEndianWord(at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
}
