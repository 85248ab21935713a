/// A JSON value as the safetensors header reader sees it: objects keep their members in file order with
/// duplicates, so the reader can keep the tensors' order and reject repeated names; numbers keep their text.
enum JSONValue {
    case object([JSONMember])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// The value as an `Int`, if it is a number written as plain decimal digits that fits in one.
    var nonNegativeInteger: Int? {
        guard case .number(let text) = self, text.utf8.allSatisfy(isDigit) else { return nil }
        return Int(text)
    }
}

/// One member of a JSON object, a struct rather than a tuple: a tuple of the enum it sits in makes Swift 6.3's
/// incremental debug builds fail with "circular reference".
struct JSONMember {
    let key: String
    let value: JSONValue
}

/// A strict RFC 8259 JSON parser over bytes, built for hostile input: nesting is bounded, nothing is
/// allocated beyond the input's size, and every problem carries its byte offset.
///
/// Foundation's parsers (Swift 6.3 on Linux) are not used because they accept headers that Hugging Face's
/// safetensors rejects or reads differently, and do not locate every error. `JSONDecoder` keeps the first of two
/// members with one name and `JSONSerialization` the last, so `{"a":{"dtype":"I64","shape":[],"data_offsets":[0,8]},
/// "a":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}}` is one valid tensor either way (the layout check cannot
/// see the other), an I64 scalar to `JSONDecoder` and two I32 values to safetensors; both accept trailing commas
/// (`[2,]`), and `JSONDecoder` reads `2.0` and `8e0` as integers, where safetensors refuses all three with a line
/// and column. `JSONDecoder`'s syntax error is "The given data was not valid JSON", with no place.
struct JSONReader {
    /// The deepest nesting of objects and arrays accepted; a safetensors header needs 3.
    static let nestingLimit = 64

    /// The text; its indices are byte offsets into the whole file, so errors can name them directly.
    private let bytes: ArraySlice<UInt8>
    /// The index of the next byte to read.
    private var offset: Int

    private init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    /// Parses `bytes` as exactly one JSON value surrounded by optional whitespace.
    ///
    /// - Throws: ``CheckpointError/Kind/invalidJSON(_:byteOffset:)`` at the first problem.
    static func parse(_ bytes: ArraySlice<UInt8>) throws(CheckpointError.Kind) -> JSONValue {
        var reader = JSONReader(bytes)
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.offset == bytes.endIndex else { throw reader.unexpected("the end of the header") }
        return value
    }

    private mutating func value(depth: Int) throws(CheckpointError.Kind) -> JSONValue {
        skipWhitespace()
        guard depth <= Self.nestingLimit else { throw problem(.nestedTooDeep(limit: Self.nestingLimit)) }
        guard let byte = peek() else { throw unexpected("a value") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw unexpected("a value")
        }
    }

    private mutating func object(depth: Int) throws(CheckpointError.Kind) -> JSONValue {
        offset += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            offset += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw unexpected("a string key") }
            let key = try string()
            skipWhitespace()
            try expect(":", "':'")
            members.append(JSONMember(key: key, value: try value(depth: depth + 1)))
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                offset += 1
                return .object(members)
            }
            try expect(",", "',' or '}'")
        }
    }

    private mutating func array(depth: Int) throws(CheckpointError.Kind) -> JSONValue {
        offset += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            offset += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {
                offset += 1
                return .array(elements)
            }
            try expect(",", "',' or ']'")
        }
    }

    /// Reads a string starting at its opening quote, decoding escapes.
    private mutating func string() throws(CheckpointError.Kind) -> String {
        offset += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else { throw unexpected("a closing '\"'") }
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                // The header was checked to be UTF-8 and strings only split it at ASCII bytes.
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                offset += 1
                utf8.append(contentsOf: try escape())
            case ..<0x20:
                throw problem(.controlCharacterInString)
            default:
                utf8.append(byte)
                offset += 1
            }
        }
    }

    /// Reads the escape after a backslash and returns its character's UTF-8 bytes.
    private mutating func escape() throws(CheckpointError.Kind) -> [UInt8] {
        guard let byte = peek() else { throw unexpected("an escape character") }
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return [byte]
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "u"): break
        default:
            offset -= 2  // point at the backslash
            throw problem(.invalidEscape)
        }
        var scalarValue = try hexCodeUnit()
        if (0xDC00...0xDFFF).contains(scalarValue) { throw problem(.unpairedSurrogate) }
        if (0xD800...0xDBFF).contains(scalarValue) {
            guard peek() == UInt8(ascii: "\\"), peek(at: 1) == UInt8(ascii: "u") else {
                throw problem(.unpairedSurrogate)
            }
            offset += 2
            let low = try hexCodeUnit()
            guard (0xDC00...0xDFFF).contains(low) else { throw problem(.unpairedSurrogate) }
            scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
        }
        // Every value outside the surrogate range is a Unicode scalar.
        guard let scalar = Unicode.Scalar(scalarValue) else { throw problem(.unpairedSurrogate) }
        return Array(String(Character(scalar)).utf8)
    }

    /// Reads the four hex digits of a `\u` escape.
    private mutating func hexCodeUnit() throws(CheckpointError.Kind) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek() else { throw unexpected("a hex digit") }
            guard let digit = hexDigitValue(byte) else { throw unexpected("a hex digit") }
            value = value << 4 | digit
            offset += 1
        }
        return value
    }

    /// Reads a number by the JSON grammar `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?` and returns its text.
    private mutating func number() throws(CheckpointError.Kind) -> String {
        let start = offset
        if peek() == UInt8(ascii: "-") { offset += 1 }
        if peek() == UInt8(ascii: "0") {
            offset += 1
        } else {
            try digits()
        }
        if peek() == UInt8(ascii: ".") {
            offset += 1
            try digits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            try digits()
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    /// Reads one or more decimal digits.
    private mutating func digits() throws(CheckpointError.Kind) {
        guard let byte = peek(), isDigit(byte) else { throw unexpected("a digit") }
        while let byte = peek(), isDigit(byte) { offset += 1 }
    }

    private mutating func literal(_ word: String, _ value: JSONValue) throws(CheckpointError.Kind) -> JSONValue {
        for expected in word.utf8 {
            guard peek() == expected else { throw unexpected("'\(word)'") }
            offset += 1
        }
        return value
    }

    private mutating func expect(_ character: Unicode.Scalar, _ description: String) throws(CheckpointError.Kind) {
        guard peek() == UInt8(ascii: character) else { throw unexpected(description) }
        offset += 1
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), [0x20, 0x09, 0x0A, 0x0D].contains(byte) { offset += 1 }
    }

    private func peek(at distance: Int = 0) -> UInt8? {
        offset + distance < bytes.endIndex ? bytes[offset + distance] : nil
    }

    private func problem(_ problem: JSONSyntaxProblem) -> CheckpointError.Kind {
        .invalidJSON(problem, byteOffset: offset)
    }

    /// The problem of finding something other than `expected` (or nothing) at the cursor.
    private func unexpected(_ expected: String) -> CheckpointError.Kind {
        guard let byte = peek() else { return problem(.unexpectedEnd(expected: expected)) }
        let found = (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "byte 0x" + String(byte, radix: 16)
        return problem(.unexpectedCharacter(found: found, expected: expected))
    }
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

private func hexDigitValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
}
