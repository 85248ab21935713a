/// How a reader numbers the places in a text file, so a fuzzer can check that an error's line and column lie
/// inside the input the reader was given.
public struct TextNumbering: Sendable {
    /// Whether a carriage return on its own ends a line (Swift source) or only a line feed does (CSV).
    public var carriageReturnEndsLine: Bool
    /// Whether a column counts characters (UTF-8 continuation bytes do not start one) or bytes.
    public var columnCountsCharacters: Bool

    /// The CSV readers' numbering: lines end at `\n`; columns count characters.
    public static let csv = TextNumbering(carriageReturnEndsLine: false, columnCountsCharacters: true)
    /// swift-syntax's numbering of a source file: lines end at `\n`, `\r\n` or `\r`; columns count bytes.
    public static let swiftSource = TextNumbering(carriageReturnEndsLine: true, columnCountsCharacters: false)

    /// The byte offset of 1-based `line` and `column` in `bytes`, or nil when the place is not in them.
    ///
    /// A column one past a line's last character is inside (an error about a missing field points there), and
    /// so is the start of the line after the last (an error about a missing row), whether or not the last line
    /// ends with a line break: both are the end of the input.
    public func byteOffset(line: Int, column: Int, in bytes: [UInt8]) -> Int? {
        guard line >= 1, column >= 1 else { return nil }
        var start = 0
        for number in 1..<line {
            guard let end = lineEnd(from: start, in: bytes) else { return nil }
            guard end < bytes.count else { return number == line - 1 && column == 1 ? bytes.count : nil }
            start = end + lineBreakLength(at: end, in: bytes)
        }
        let end = lineEnd(from: start, in: bytes) ?? bytes.count
        var charactersBefore = 0
        for offset in start...end {
            if charactersBefore == column - 1 { return offset }
            if offset < end, !columnCountsCharacters || bytes[offset] & 0b1100_0000 != 0b1000_0000 {
                charactersBefore += 1
            }
        }
        return nil
    }

    /// The offset of the line break that ends the line starting at `start` (the end of `bytes` if none does).
    private func lineEnd(from start: Int, in bytes: [UInt8]) -> Int? {
        guard start <= bytes.count else { return nil }
        return bytes[start...].firstIndex { $0 == 0x0A || carriageReturnEndsLine && $0 == 0x0D } ?? bytes.count
    }

    /// 2 for `\r\n` where a carriage return ends a line, else 1.
    private func lineBreakLength(at offset: Int, in bytes: [UInt8]) -> Int {
        carriageReturnEndsLine && bytes[offset] == 0x0D && offset + 1 < bytes.count && bytes[offset + 1] == 0x0A ? 2 : 1
    }
}
