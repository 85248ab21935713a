/// A safetensors file assembled by hand for tests, independently of the writer under test: the 8-byte
/// little-endian length of `header`, the header's UTF-8 bytes as given (no padding added), then `data`.
func safetensorsBytes(header: String, data: [UInt8]) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    return littleEndianBytes(UInt64(headerBytes.count)) + headerBytes + data
}

/// `value`'s bytes, least significant first, computed with shifts.
func littleEndianBytes(_ value: UInt64, count: Int = 8) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
}

/// The little-endian bytes of float32 values, from their IEEE bit patterns.
func float32Bytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { littleEndianBytes(UInt64($0.bitPattern), count: 4) }
}
