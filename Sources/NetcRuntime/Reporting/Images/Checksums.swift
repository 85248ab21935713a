/// The CRC-32 that PNG chunks end with (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320 reflected).
struct CRC32 {
    /// One precomputed remainder per byte value.
    private static let table: [UInt32] = (0..<256).map { byte in
        var remainder = UInt32(byte)
        for _ in 0..<8 { remainder = remainder & 1 == 1 ? 0xEDB8_8320 ^ (remainder >> 1) : remainder >> 1 }
        return remainder
    }

    /// The running register, inverted as the standard prescribes.
    private var register: UInt32 = 0xFFFF_FFFF

    /// Feeds `bytes` into the checksum.
    mutating func update<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        for byte in bytes {
            register = Self.table[Int((register ^ UInt32(byte)) & 0xFF)] ^ (register >> 8)
        }
    }

    /// The checksum of everything fed so far.
    var value: UInt32 { register ^ 0xFFFF_FFFF }
}

/// The Adler-32 checksum that ends a zlib stream (RFC 1950): two sums modulo 65521.
struct Adler32 {
    private static let modulus: UInt32 = 65521
    private var low: UInt32 = 1
    private var high: UInt32 = 0

    /// Feeds `bytes` into the checksum.
    mutating func update<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        for byte in bytes {
            low = (low + UInt32(byte)) % Self.modulus
            high = (high + low) % Self.modulus
        }
    }

    /// The checksum of everything fed so far, `high << 16 | low`.
    var value: UInt32 { high << 16 | low }
}
