import NetcGraph

/// Seeded random edits of a valid file, of the kinds that break real files: truncation, flipped bits, bytes
/// inserted, removed or repeated, and fields or header words replaced by huge or odd values.
///
/// The same seed gives the same edits, so a failing case can be replayed from the seed in its message.
struct Mutator: RandomNumberGenerator {
    private let philox: Philox
    private var index: UInt32 = 0

    init(seed: UInt64) {
        philox = Philox(seed: seed)
    }

    /// The next 64 random bits, from two Philox words.
    mutating func next() -> UInt64 {
        defer { index += 2 }
        let high = philox.word(stream: 0, step: 0, index: index)
        let low = philox.word(stream: 0, step: 0, index: index + 1)
        return UInt64(high) << 32 | UInt64(low)
    }

    /// `bytes` after one to four random edits.
    mutating func mutated(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        for _ in 0..<Int.random(in: 1...4, using: &self) { edit(&result) }
        return result
    }

    private mutating func edit(_ bytes: inout [UInt8]) {
        let position = Int.random(in: 0...bytes.count, using: &self)
        let hasByte = position < bytes.count
        switch Int.random(in: 0..<7, using: &self) {
        case 0:
            bytes.removeSubrange(position...)
        case 1 where hasByte:
            bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &self)
        case 2:
            bytes.insert(UInt8.random(in: 0...255, using: &self), at: position)
        case 3 where hasByte:
            bytes.remove(at: position)
        case 4:
            let token = Self.tokens.randomElement(using: &self) ?? ""
            bytes.insert(contentsOf: Array(token.utf8), at: position)
        case 5:
            let end = Int.random(in: position...min(bytes.count, position + 64), using: &self)
            let repeated = Array(bytes[position..<end])
            bytes.insert(contentsOf: repeated, at: end)
        case 6 where position + 4 <= bytes.count:
            let word = Self.words.randomElement(using: &self) ?? 0
            for offset in 0..<4 { bytes[position + offset] = UInt8(truncatingIfNeeded: word >> (8 * (3 - offset))) }
        default:
            break
        }
    }

    /// Text that parsers treat specially: separators, quotes, brackets, signs, huge numbers, invalid UTF-8.
    private static let tokens = [
        "0", "-1", "256", "10", "99999999999999999999", "4294967295", "9223372036854775807", ",", ",,", "\n",
        "\r\n", "\r", " ", "\"", "\\", "\\u", "\\ud800", "{", "}", "[", "]", ":", "1e999", "-0", "null", "\u{FEFF}",
        "\u{FF}", "é",
    ]

    /// 32-bit words that break sizes and counts: zero, one, sign bits, all ones.
    private static let words: [UInt32] = [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x0000_0803, 0x0000_0801]
}
