/// A cursor over the bytes of a CSV file of integers that knows its 1-based line and column.
///
/// The loaders parse a whole file in one pass with it, never building a `String` for a data field; text
/// is only made for header names and for the words of an error. A line ends at `\n`, `\r\n` or the end of
/// the file, so CRLF files and files without a final newline read the same as plain ones.
struct CSVScanner {
    /// The file's name, for errors.
    let path: String
    /// The whole file.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The index of the next byte to read.
    private(set) var offset = 0
    /// The 1-based line the cursor is on.
    private(set) var line = 1
    /// The index of the first byte of the current line.
    private var lineStart = 0

    /// Creates a scanner at the start of `bytes`, the contents of the file at `path`.
    init(path: String, bytes: UnsafeBufferPointer<UInt8>) {
        self.path = path
        self.bytes = bytes
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { offset >= bytes.count }

    /// Whether the cursor is at `\n`, `\r\n`, a final `\r`, or the end of the file.
    var isAtLineEnd: Bool {
        guard offset < bytes.count else { return true }
        switch bytes[offset] {
        case newline: return true
        case carriageReturn: return offset + 1 == bytes.count || bytes[offset + 1] == newline
        default: return false
        }
    }

    /// Whether the cursor is at a comma.
    var isAtComma: Bool { offset < bytes.count && bytes[offset] == comma }

    /// An error of `kind` on the current line, at the 1-based column of byte `offset` (the cursor by default).
    ///
    /// The column counts characters, not bytes: UTF-8 continuation bytes do not start a character.
    func error(_ kind: DataError.Kind, at offset: Int? = nil) -> DataError {
        let lineSoFar = bytes[lineStart..<(offset ?? self.offset)]
        let column = lineSoFar.count(where: { $0 & 0b1100_0000 != 0b1000_0000 }) + 1
        return DataError(path: path, location: .text(line: line, column: column), kind: kind)
    }

    /// Moves past the line end at the cursor, which must be at one, to the start of the next line.
    mutating func skipLineEnd() {
        precondition(isAtLineEnd, "skipLineEnd called inside a line")
        if offset < bytes.count, bytes[offset] == carriageReturn { offset += 1 }
        if offset < bytes.count { offset += 1 }
        line += 1
        lineStart = offset
    }

    /// Moves past the comma at the cursor, which must be at one.
    mutating func skipComma() {
        precondition(isAtComma, "skipComma called away from a comma")
        offset += 1
    }

    /// Reads the header line, which must be exactly one of `layouts`, and moves to the next line.
    ///
    /// Layouts are told apart by their first name, so the first mismatch is reported against the layout
    /// the header claims to be. Names are compared as they are read and reading stops at the first wrong
    /// one, so a header of millions of fields costs no memory.
    /// - Returns: the index in `layouts` of the header's layout.
    mutating func readHeader(oneOf layouts: [[String]]) throws(DataError) -> Int {
        guard !isAtEnd else { throw error(.emptyFile) }
        let first = readHeaderName()
        guard let layoutIndex = layouts.firstIndex(where: { $0.first == first.name }) else {
            let recognised = layouts.compactMap(\.first)
            throw error(.unrecognisedHeader(found: first.name, expected: recognised), at: first.offset)
        }
        let expected = layouts[layoutIndex]
        var count = 1
        while !isAtLineEnd {
            skipComma()
            let found = readHeaderName()
            guard count < expected.count else {
                let total = fieldsOnCurrentLine()
                throw error(.wrongHeaderFieldCount(found: total, expected: expected.count), at: found.offset)
            }
            guard found.name == expected[count] else {
                throw error(.wrongHeaderField(found: found.name, expected: expected[count]), at: found.offset)
            }
            count += 1
        }
        guard count == expected.count else {
            throw error(.wrongHeaderFieldCount(found: count, expected: expected.count))
        }
        skipLineEnd()
        return layoutIndex
    }

    /// Reads one header name up to the next comma or line end, and returns it with its starting offset.
    mutating func readHeaderName() -> (name: String, offset: Int) {
        let start = offset
        while !isAtComma && !isAtLineEnd { offset += 1 }
        return (printable(bytes[start..<offset]), start)
    }

    /// Reads a run of decimal digits as a non-negative integer, or returns `nil` when there is none.
    ///
    /// A value too large to matter saturates instead of overflowing; callers compare it with their maximum.
    @inline(__always)
    mutating func readDigits() -> Int? {
        let start = offset
        var value = 0
        while offset < bytes.count {
            let digit = Int(bytes[offset]) &- Int(zero)
            guard digit >= 0 && digit <= 9 else { break }
            if value < saturation { value = value &* 10 &+ digit }
            offset += 1
        }
        return offset == start ? nil : value
    }

    /// Reads one integer field in `allowed` and the separator after it: a comma, or the line end for the last.
    ///
    /// - Parameters:
    ///   - index: the field's 0-based position in the row, for naming it and counting fields.
    ///   - fieldCount: how many fields a row must have.
    ///   - name: names the field at an index, e.g. `pixel17`; only called to describe an error.
    @inline(__always)
    mutating func readField(
        _ index: Int, of fieldCount: Int, allowed: ClosedRange<Int>, name: (Int) -> String
    ) throws(DataError) -> Int {
        let start = offset
        guard let value = readDigits(), allowed.contains(value) else {
            throw invalidField(named: name(index), startingAt: start, allowed: allowed)
        }
        if index + 1 < fieldCount {
            guard isAtComma else {
                throw isAtLineEnd
                    ? error(.wrongFieldCount(found: index + 1, expected: fieldCount))
                    : invalidField(named: name(index), startingAt: start, allowed: allowed)
            }
            offset += 1
        } else if !isAtLineEnd {
            throw isAtComma
                ? error(.wrongFieldCount(found: fieldsOnCurrentLine(), expected: fieldCount))
                : invalidField(named: name(index), startingAt: start, allowed: allowed)
        }
        return value
    }

    /// Reads a label field as ``readField(_:of:allowed:name:)`` does; it must be one of the expected classes.
    mutating func readLabel(
        _ index: Int, of fieldCount: Int, expecting expectation: DataExpectation, name: (Int) -> String
    ) throws(DataError) -> Int {
        let start = offset
        let label = try readField(index, of: fieldCount, allowed: 0...Int.max, name: name)
        guard label < expectation.classes else {
            throw error(
                .labelOutOfRange(found: label, classes: expectation.classes, model: expectation.model), at: start)
        }
        return label
    }

    /// The error for a field starting at `start` that is not an integer in `allowed`.
    private func invalidField(named name: String, startingAt start: Int, allowed: ClosedRange<Int>) -> DataError {
        var end = start
        while end < bytes.count && bytes[end] != comma && bytes[end] != newline { end += 1 }
        if end > start && bytes[end - 1] == carriageReturn && (end == bytes.count || bytes[end] == newline) {
            end -= 1
        }
        let text = bytes[start..<end]
        let digits = text.first == minus ? text.dropFirst() : text[...]
        let isInteger = !digits.isEmpty && digits.allSatisfy { $0 >= zero && $0 <= zero + 9 }
        let found = printable(text)
        return error(
            isInteger
                ? .valueOutOfRange(field: name, found: found, allowed: allowed)
                : .notAnInteger(field: name, found: found),
            at: start)
    }

    /// The number of comma-separated fields on the current line.
    private func fieldsOnCurrentLine() -> Int {
        var commas = 0
        var index = lineStart
        while index < bytes.count && bytes[index] != newline {
            if bytes[index] == comma { commas += 1 }
            index += 1
        }
        return commas + 1
    }
}

/// Bytes as text for a message: control and format characters escaped, long text shortened.
private func printable(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
    let limit = 24
    let text = String(decoding: bytes.prefix(limit), as: UTF8.self)
    let escaped = text.unicodeScalars.map { scalar in
        switch scalar.properties.generalCategory {
        case .control, .format: scalar.escaped(asASCII: true)
        default: String(scalar)
        }
    }.joined()
    return bytes.count > limit ? escaped + "..." : escaped
}

private let newline = UInt8(ascii: "\n")
private let carriageReturn = UInt8(ascii: "\r")
private let comma = UInt8(ascii: ",")
private let minus = UInt8(ascii: "-")
private let zero = UInt8(ascii: "0")
/// Digits stop accumulating past this, far above any valid field yet far below `Int.max / 10`.
private let saturation = 1 << 50
