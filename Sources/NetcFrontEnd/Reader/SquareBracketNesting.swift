import NetcGraph

/// The guard in front of swift-syntax's parser against deeply nested square brackets.
///
/// swift-syntax 603 looks ahead at every `[` to decide whether it opens an array literal or an inline array
/// type, and that lookahead recurses into the brackets nested inside: its time doubles with each level, so
/// 20 nested brackets take seconds and 30 never finish (found by the model fuzzer). The language uses square
/// brackets only for a flat list of literals (`classNames(["T-shirt", ...])`), so any nesting deeper than
/// `limit` is a mistake, reported before the parser sees it.
struct SquareBracketNesting {
    /// The deepest nesting of square brackets a model file may hold: far above the language's use of them
    /// (one level), far below the parser's slow depths.
    static let limit = 8

    /// The `[` that opens nesting deeper than `limit`, as a 1-based line and column (in UTF-8 bytes, as
    /// swift-syntax counts them); `nil` when the text nests no deeper.
    ///
    /// Brackets inside comments (`//`, nested `/* */`) and string literals (`"..."` with escapes, `"""`
    /// blocks) do not count.
    static func firstTooDeep(in text: String) -> (line: Int, column: Int)? {
        var scanner = Scanner(bytes: Array(text.utf8))
        return scanner.firstTooDeep()
    }

    /// A byte cursor over the text that skips comments and strings.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0

        mutating func firstTooDeep() -> (line: Int, column: Int)? {
            var depth = 0
            while index < bytes.count {
                if starts(with: "//") {
                    skip(until: "\n")
                } else if starts(with: "/*") {
                    skipBlockComment()
                } else if starts(with: "\"\"\"") {
                    advance(3)
                    skipString(closedBy: "\"\"\"")
                } else if bytes[index] == UInt8(ascii: "\"") {
                    advance(1)
                    skipString(closedBy: "\"")
                } else {
                    switch bytes[index] {
                    case UInt8(ascii: "["):
                        depth += 1
                        if depth > SquareBracketNesting.limit { return (line, index - lineStart + 1) }
                    case UInt8(ascii: "]"):
                        depth = max(depth - 1, 0)
                    default:
                        break
                    }
                    advance(1)
                }
            }
            return nil
        }

        private func starts(with prefix: StaticString) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            return (0..<count).allSatisfy { bytes[index + $0] == prefix.utf8Start[$0] }
        }

        /// Moves `count` bytes on, counting lines as Swift does: `\n`, a lone `\r`, and `\r\n` as one break.
        private mutating func advance(_ count: Int) {
            for _ in 0..<count where index < bytes.count {
                let isCarriageReturnAlone =
                    bytes[index] == UInt8(ascii: "\r")
                    && (index + 1 == bytes.count || bytes[index + 1] != UInt8(ascii: "\n"))
                if bytes[index] == UInt8(ascii: "\n") || isCarriageReturnAlone {
                    line += 1
                    lineStart = index + 1
                }
                index += 1
            }
        }

        private mutating func skip(until terminator: StaticString) {
            while index < bytes.count && !starts(with: terminator) { advance(1) }
        }

        /// Skips a `/* ... */` comment, which nests in Swift.
        private mutating func skipBlockComment() {
            var depth = 0
            repeat {
                if starts(with: "/*") {
                    depth += 1
                    advance(2)
                } else if starts(with: "*/") {
                    depth -= 1
                    advance(2)
                } else {
                    advance(1)
                }
            } while depth > 0 && index < bytes.count
        }

        /// Skips a string's contents and its closing delimiter; a backslash escapes the byte after it.
        private mutating func skipString(closedBy delimiter: StaticString) {
            while index < bytes.count && !starts(with: delimiter) {
                advance(bytes[index] == UInt8(ascii: "\\") ? 2 : 1)
            }
            advance(delimiter.utf8CodeUnitCount)
        }
    }
}
