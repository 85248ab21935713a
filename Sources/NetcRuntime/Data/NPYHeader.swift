/// The header of a NumPy `.npy` array: the Python dictionary literal after the magic and version, such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28), }`.
///
/// Exactly the three keys NumPy writes are read, in any order; `descr` must be a type string (a structured
/// dtype's list is reported as such), `shape` a tuple of non-negative integers.
struct NPYHeader {
    /// The dtype string, e.g. `<f4`, `|u1`, or `[...]` for a structured dtype.
    let descr: String
    /// Whether the data is stored column-major.
    let isFortranOrder: Bool
    /// The array's dimensions.
    let shape: [Int]
    /// Where the header's dictionary starts, to which problems with its values point.
    let textOffset: Int
    /// Where the array's data starts in the file.
    let dataOffset: Int

    /// Reads the header of the `.npy` array `contents`.
    init(_ contents: LocatedBytes) throws(DataError) {
        let bytes = contents.bytes
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw contents.error(.notNumPy, at: 0)
        }
        let (major, minor) = (Int(bytes[6]), Int(bytes[7]))
        let lengthSize: Int
        switch major {
        case 1: lengthSize = 2
        case 2, 3: lengthSize = 4
        default: throw contents.error(.unsupportedNPYVersion(major: major, minor: minor), at: 6)
        }
        let textStart = 8 + lengthSize
        guard bytes.count >= textStart else { throw contents.error(.npyHeader(expected: "the header's length"), at: 8) }
        let textEnd = textStart + contents.littleEndian(at: 8, size: lengthSize)
        guard textEnd <= bytes.count else {
            throw contents.error(.npyHeader(expected: "a header of the stated length before the end"), at: 8)
        }
        var parser = Parser(contents: contents, position: textStart, end: textEnd)
        var entries: [String: (value: Parser.Value, offset: Int)] = [:]
        try parser.readDictionary { (key, keyOffset, value) throws(DataError) in
            guard ["descr", "fortran_order", "shape"].contains(key) else {
                throw contents.error(.npyHeader(expected: "the key 'descr', 'fortran_order' or 'shape'"), at: keyOffset)
            }
            guard entries[key] == nil else {
                throw contents.error(.npyHeader(expected: "each key once"), at: keyOffset)
            }
            entries[key] = (value, keyOffset)
        }
        try parser.skipPadding()
        func entry(_ key: String) throws(DataError) -> (value: Parser.Value, offset: Int) {
            guard let entry = entries[key] else {
                throw contents.error(.npyHeader(expected: "the key '\(key)'"), at: textEnd)
            }
            return entry
        }
        switch try entry("descr") {
        case (.string(let descr), _): self.descr = descr
        case (.list, _): self.descr = "[...]"
        case (_, let offset): throw contents.error(.npyHeader(expected: "a dtype string for 'descr'"), at: offset)
        }
        guard case .boolean(let isFortranOrder) = try entry("fortran_order").value else {
            throw contents.error(
                .npyHeader(expected: "True or False for 'fortran_order'"), at: try entry("fortran_order").offset)
        }
        guard case .tuple(let shape) = try entry("shape").value else {
            throw contents.error(.npyHeader(expected: "a tuple of integers for 'shape'"), at: try entry("shape").offset)
        }
        self.isFortranOrder = isFortranOrder
        self.shape = shape
        textOffset = textStart
        dataOffset = textEnd
    }
}

extension NPYHeader {
    /// A reader of the few Python literals a `.npy` header holds.
    fileprivate struct Parser {
        /// A literal value.
        enum Value {
            case string(String)
            case boolean(Bool)
            case tuple([Int])
            /// A list, as a structured dtype's `descr` is; its contents are not read.
            case list
        }

        let contents: LocatedBytes
        var position: Int
        let end: Int

        private var bytes: [UInt8] { contents.bytes }

        private func error(_ expected: String) -> DataError {
            contents.error(.npyHeader(expected: expected), at: position)
        }

        private mutating func skipSpaces() {
            while position < end, bytes[position] == UInt8(ascii: " ") { position += 1 }
        }

        /// Moves past `character` (after any spaces), which must come next.
        private mutating func expect(_ character: Character, _ description: String) throws(DataError) {
            skipSpaces()
            guard position < end, bytes[position] == character.asciiValue else { throw error(description) }
            position += 1
        }

        /// Whether `character` comes next (after any spaces); moves past it if so.
        private mutating func take(_ character: Character) -> Bool {
            skipSpaces()
            guard position < end, bytes[position] == character.asciiValue else { return false }
            position += 1
            return true
        }

        /// Reads `{key: value, ...}` with an optional trailing comma, calling `entry` for each pair.
        mutating func readDictionary(
            _ entry: (_ key: String, _ offset: Int, _ value: Value) throws(DataError) -> Void
        ) throws(DataError) {
            try expect("{", "'{' starting the header's dictionary")
            while !take("}") {
                skipSpaces()
                let keyOffset = position
                guard case .string(let key) = try readValue() else {
                    position = keyOffset
                    throw error("a quoted key")
                }
                try expect(":", "':' after the key")
                try entry(key, keyOffset, try readValue())
                if !take(",") {
                    try expect("}", "',' or '}' after the value")
                    return
                }
            }
        }

        /// After the dictionary: spaces, then the newline that ends every header.
        mutating func skipPadding() throws(DataError) {
            skipSpaces()
            guard end - position == 1, bytes[position] == UInt8(ascii: "\n") else {
                throw error("the header to end with spaces and a newline")
            }
        }

        private mutating func readValue() throws(DataError) -> Value {
            skipSpaces()
            guard position < end else { throw error("a value") }
            switch bytes[position] {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                let quote = bytes[position]
                let start = position + 1
                guard let close = bytes[start..<end].firstIndex(of: quote) else { throw error("a closing quote") }
                guard !bytes[start..<close].contains(UInt8(ascii: "\\")) else {
                    throw error("a string without escapes")
                }
                position = close + 1
                return .string(String(decoding: bytes[start..<close], as: UTF8.self))
            case UInt8(ascii: "("):
                position += 1
                var values: [Int] = []
                while !take(")") {
                    values.append(try readInteger())
                    if !take(",") {
                        try expect(")", "',' or ')' in the shape")
                        break
                    }
                }
                return .tuple(values)
            case UInt8(ascii: "["):
                guard let close = bytes[position..<end].lastIndex(of: UInt8(ascii: "]")) else {
                    throw error("a closing ']'")
                }
                position = close + 1
                return .list
            default:
                for (word, value) in [("True", true), ("False", false)]
                where bytes[position..<end].starts(with: word.utf8) {
                    position += word.utf8.count
                    return .boolean(value)
                }
                throw error("a string, True, False or a tuple")
            }
        }

        /// A non-negative decimal integer, as Python 2 wrote it too (`60000L`).
        private mutating func readInteger() throws(DataError) -> Int {
            skipSpaces()
            let start = position
            var value = 0
            while position < end, let digit = Int(exactly: bytes[position]).map({ $0 - 48 }), (0...9).contains(digit) {
                guard value <= (Int.max - digit) / 10 else { throw error("a dimension that fits in 64 bits") }
                value = value * 10 + digit
                position += 1
            }
            guard position > start else { throw error("a non-negative integer dimension") }
            if position < end, bytes[position] == UInt8(ascii: "L") { position += 1 }
            return value
        }
    }
}
