/// The members of a zip archive, read from its central directory: what an `.npz` file is.
///
/// Written for what `np.savez` and `np.savez_compressed` produce (and any ordinary zip tool): stored and deflate
/// members, zip64 sizes and offsets, no encryption, one disk. Every size and offset is checked against the
/// file before it is used, and every member's CRC-32 when it is read; zlib inflates deflate members.
struct ZipArchive {
    /// One file inside the archive, as its central directory entry describes it.
    struct Member {
        let name: String
        /// 0 stored, 8 deflate.
        let method: Int
        let crc32: UInt32
        let compressedSize: Int
        let size: Int
        /// Where the member's local header starts.
        let headerOffset: Int
    }

    /// The archive's bytes.
    let file: LocatedBytes
    /// The members in directory order.
    let members: [Member]

    /// Reads the central directory of the zip archive `file`.
    init(_ file: LocatedBytes) throws(DataError) {
        self.file = file
        let bytes = file.bytes
        let endRecordSize = 22
        // The end record sits in the last 22 bytes plus a comment of up to 65535.
        let searchStart = max(0, bytes.count - endRecordSize - 0xFFFF)
        guard bytes.count >= endRecordSize,
            let end = stride(from: bytes.count - endRecordSize, through: searchStart, by: -1).first(where: {
                file.littleEndian(at: $0, size: 4) == 0x0605_4B50
                    && $0 + endRecordSize + file.littleEndian(at: $0 + 20, size: 2) == bytes.count
            })
        else { throw file.error(.damagedArchive(.noEndRecord), at: bytes.count) }

        var count = file.littleEndian(at: end + 10, size: 2)
        var directorySize = file.littleEndian(at: end + 12, size: 4)
        var directoryOffset = file.littleEndian(at: end + 16, size: 4)
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // zip64: a locator just before the end record points at the zip64 end record with the real values.
            let locator = end - 20
            guard locator >= 0, file.littleEndian(at: locator, size: 4) == 0x0706_4B50 else {
                throw file.error(.damagedArchive(.badRecord("zip64 end-of-directory locator")), at: max(locator, 0))
            }
            let record = file.littleEndian(at: locator + 8, size: 8)
            guard record >= 0, record <= locator - 56, file.littleEndian(at: record, size: 4) == 0x0606_4B50 else {
                throw file.error(.damagedArchive(.badRecord("zip64 end-of-directory record")), at: locator + 8)
            }
            (count, directorySize, directoryOffset) = (
                file.littleEndian(at: record + 32, size: 8), file.littleEndian(at: record + 40, size: 8),
                file.littleEndian(at: record + 48, size: 8)
            )
        }
        guard directoryOffset >= 0, directorySize >= 0, directoryOffset <= end, directorySize <= end - directoryOffset
        else { throw file.error(.damagedArchive(.badRecord("central directory's size or offset")), at: end + 12) }

        var members: [Member] = []
        var offset = directoryOffset
        while members.count < count {
            guard offset + 46 <= directoryOffset + directorySize, file.littleEndian(at: offset, size: 4) == 0x0201_4B50
            else {
                // The previous entry's lengths may point past the directory.
                let place = min(offset, directoryOffset + directorySize)
                throw file.error(.damagedArchive(.badRecord("central directory entry")), at: place)
            }
            members.append(try Self.member(in: file, at: offset, directoryEnd: directoryOffset + directorySize))
            offset += 46 + [28, 30, 32].reduce(0) { $0 + file.littleEndian(at: offset + $1, size: 2) }
        }
        self.members = members
    }

    /// The central directory entry at `offset`, its zip64 extra field applied.
    private static func member(in file: LocatedBytes, at offset: Int, directoryEnd: Int) throws(DataError) -> Member {
        let nameLength = file.littleEndian(at: offset + 28, size: 2)
        let extraLength = file.littleEndian(at: offset + 30, size: 2)
        guard offset + 46 + nameLength + extraLength <= directoryEnd else {
            throw file.error(.damagedArchive(.badRecord("central directory entry")), at: offset + 28)
        }
        let name = String(decoding: file.bytes[offset + 46..<offset + 46 + nameLength], as: UTF8.self)
        var size = file.littleEndian(at: offset + 24, size: 4)
        var compressedSize = file.littleEndian(at: offset + 20, size: 4)
        var headerOffset = file.littleEndian(at: offset + 42, size: 4)
        // The zip64 extra field (id 1) holds, in this order, each of those three that is 0xFFFFFFFF above.
        var extra = offset + 46 + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            let (id, length) = (file.littleEndian(at: extra, size: 2), file.littleEndian(at: extra + 2, size: 2))
            guard extra + 4 + length <= extraEnd else { break }
            if id == 1 {
                var field = extra + 4
                func widened(_ value: Int) -> Int {
                    guard value == 0xFFFF_FFFF, field + 8 <= extra + 4 + length else { return value }
                    defer { field += 8 }
                    return file.littleEndian(at: field, size: 8)
                }
                (size, compressedSize, headerOffset) = (widened(size), widened(compressedSize), widened(headerOffset))
            }
            extra += 4 + length
        }
        let flags = file.littleEndian(at: offset + 8, size: 2)
        guard flags & 1 == 0 else { throw file.error(.damagedArchive(.encrypted(name)), at: offset + 8) }
        return Member(
            name: name, method: file.littleEndian(at: offset + 10, size: 2),
            crc32: UInt32(file.littleEndian(at: offset + 16, size: 4)), compressedSize: compressedSize, size: size,
            headerOffset: headerOffset)
    }

    /// The member called `name`, if there is one.
    func member(named name: String) -> Member? {
        members.first { $0.name == name }
    }

    /// The uncompressed contents of `member`, checked against its CRC-32; errors inside them name the member.
    func contents(of member: Member) throws(DataError) -> LocatedBytes {
        let header = member.headerOffset
        guard header >= 0, header + 30 <= file.bytes.count, file.littleEndian(at: header, size: 4) == 0x0403_4B50 else {
            throw file.error(
                .damagedArchive(.badRecord("local header of \(member.name)")), at: max(0, min(header, file.bytes.count))
            )
        }
        let start =
            header + 30 + file.littleEndian(at: header + 26, size: 2) + file.littleEndian(at: header + 28, size: 2)
        guard member.compressedSize >= 0, member.size >= 0, start <= file.bytes.count,
            member.compressedSize <= file.bytes.count - start
        else { throw file.error(.damagedArchive(.memberOutOfBounds(member.name)), at: header) }
        let data = file.bytes[start..<start + member.compressedSize]
        let contents: [UInt8]
        switch member.method {
        case 0:
            guard member.size == member.compressedSize else {
                throw file.error(.damagedArchive(.storedSizes(member.name)), at: header)
            }
            contents = Array(data)
        case 8:
            // Deflate expands at most about 1032 : 1; a larger stated size is a damaged directory, not a reason
            // to allocate it.
            guard member.size <= member.compressedSize * 1032 + 1024 else {
                throw file.error(.damagedArchive(.memberOutOfBounds(member.name)), at: header)
            }
            do {
                contents = try Zlib.inflateRaw(data, size: member.size)
            } catch {
                throw file.error(
                    .corruptCompressedData(reason: "\(member.name): \(error.reason)"), at: start + error.offset)
            }
        default:
            throw file.error(.damagedArchive(.unsupportedMethod(member.name, method: member.method)), at: header + 8)
        }
        let crc = Zlib.crc32(contents[...])
        guard crc == member.crc32 else {
            throw file.error(.damagedArchive(.checksum(member.name, found: crc, expected: member.crc32)), at: start)
        }
        return LocatedBytes(contents, path: file.path, part: member.name)
    }
}
