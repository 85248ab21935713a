internal import CZlib

/// Decompression by Debian's zlib: the only file that calls it.
///
/// Reads gzip files (`.gz`, every member of a multi-member file) and the raw deflate streams inside zip
/// archives (compressed `.npz`). zlib checks gzip's CRC-32 and length itself; zip members are checked against
/// their directory's CRC-32 with ``crc32(_:)``.
enum Zlib {
    /// Why decompression stopped, and how far into the compressed bytes.
    struct Failure: Error {
        /// zlib's explanation, or netc's for truncation and trailing bytes.
        let reason: String
        /// The offset in the compressed input where the problem was found.
        let offset: Int
    }

    /// Whether `bytes` start like a gzip file (RFC 1952's magic `1f 8b`).
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The contents of the gzip file `bytes`, all its members one after another.
    static func gunzip(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        // The last member's trailer holds its length modulo 2³²: a good first guess for one-member files, capped
        // by deflate's largest ratio (about 1032 : 1) so a corrupt trailer cannot ask for absurd memory.
        let trailerLength = bytes.count >= 4 ? bytes.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) } : 0
        let capacity = min(max(trailerLength, 1024), bytes.count * 1032 + 1024)
        return try bytes.withUnsafeBufferPointer { (input) throws(Failure) in
            try inflate(input, windowBits: 16 + MAX_WBITS, capacity: capacity, exactSize: nil)
        }
    }

    /// The `size` bytes the raw deflate stream `bytes` (a zip member's data) expands to.
    static func inflateRaw(_ bytes: ArraySlice<UInt8>, size: Int) throws(Failure) -> [UInt8] {
        // One spare byte lets zlib reach the stream's end marker after the last byte, and shows a stream that is
        // longer than stated.
        try bytes.withUnsafeBufferPointer { (input) throws(Failure) in
            try inflate(input, windowBits: -MAX_WBITS, capacity: size + 1, exactSize: size)
        }
    }

    /// The CRC-32 of `bytes` (the zip and gzip checksum).
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            var crc = CZlib.crc32(0, nil, 0)
            var start = 0
            // zlib takes lengths as 32-bit integers.
            while start < buffer.count {
                let length = min(buffer.count - start, 1 << 30)
                crc = CZlib.crc32(crc, buffer.baseAddress.map { $0 + start }, uInt(length))
                start += length
            }
            return UInt32(crc)
        }
    }

    /// Inflates `input` with zlib's `windowBits` (gzip or raw), starting with room for `capacity` bytes and
    /// growing as needed; with `exactSize`, the stream must expand to exactly that many bytes.
    private static func inflate(
        _ input: UnsafeBufferPointer<UInt8>, windowBits: Int32, capacity: Int, exactSize: Int?
    ) throws(Failure) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0
        let result: Result<Int, Failure> = {
            var stream = z_stream()
            guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                return .failure(Failure(reason: "zlib could not start", offset: 0))
            }
            defer { inflateEnd(&stream) }
            var consumed = 0
            while true {
                if produced == output.count {
                    guard exactSize == nil else {
                        return .failure(Failure(reason: "the data expands past its stated size", offset: consumed))
                    }
                    output += [UInt8](repeating: 0, count: output.count)
                }
                let status = output.withUnsafeMutableBufferPointer { outputBuffer in
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + consumed })
                    stream.avail_in = uInt(min(input.count - consumed, Int(UInt32.max)))
                    stream.next_out = outputBuffer.baseAddress.map { $0 + produced }
                    stream.avail_out = uInt(min(outputBuffer.count - produced, Int(UInt32.max)))
                    let before = (stream.avail_in, stream.avail_out)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    consumed += Int(before.0 - stream.avail_in)
                    produced += Int(before.1 - stream.avail_out)
                    return status
                }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    // gzip allows several members one after another; anything else after the data is an error.
                    guard windowBits > 0, consumed < input.count else { break }
                    guard input.count - consumed >= 2, input[consumed] == 0x1F, input[consumed + 1] == 0x8B
                    else { return .failure(Failure(reason: "unexpected bytes after the gzip data", offset: consumed)) }
                    inflateReset(&stream)
                    continue
                case Z_BUF_ERROR where consumed == input.count:
                    return .failure(
                        Failure(reason: "the compressed data ends early (is the file truncated?)", offset: consumed))
                case Z_BUF_ERROR:
                    continue
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return .failure(Failure(reason: reason, offset: consumed))
                }
                if windowBits < 0, consumed < input.count {
                    return .failure(Failure(reason: "unexpected bytes after the deflate data", offset: consumed))
                }
                return .success(produced)
            }
        }()
        let count = try result.get()
        if let exactSize, count != exactSize {
            throw Failure(
                reason: "the data expands to \(count) bytes, not its stated \(exactSize)", offset: input.count)
        }
        output.removeLast(output.count - count)
        return output
    }
}
