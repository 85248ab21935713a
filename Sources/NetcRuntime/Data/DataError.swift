/// A problem with a data file (Kaggle CSV, labels CSV or MNIST IDX), naming the file and the place in it.
///
/// `description` reads like a compiler diagnostic, `PATH:LINE:COL: error: MESSAGE` for text files (1-based
/// line and character column) and `PATH: error: MESSAGE (at byte N)` for binary IDX files. Every message
/// the data loaders can produce is written in `message`, and nowhere else.
public struct DataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where in the file the problem is.
    public enum Location: Equatable, Sendable {
        /// The file as a whole (it cannot be read, or its contents disagree with another file).
        case file
        /// A 1-based line and 1-based character column of a text file.
        case text(line: Int, column: Int)
        /// A 0-based byte offset into a binary file.
        case byte(Int)
    }

    /// What is wrong.
    public enum Kind: Equatable, Sendable {
        /// The file could not be opened or read; `reason` is the system's explanation.
        case unreadable(reason: String)
        /// The file holds no bytes at all.
        case emptyFile
        /// The first header field is none of the recognised ones (`expected` lists them).
        case unrecognisedHeader(found: String, expected: [String])
        /// A header field other than the first is not the name expected at that position.
        case wrongHeaderField(found: String, expected: String)
        /// The header has the wrong number of fields.
        case wrongHeaderFieldCount(found: Int, expected: Int)
        /// There is a header but not a single data row after it.
        case noRows
        /// An empty line where a data row was expected.
        case blankLine(expectedFields: Int)
        /// A data row has the wrong number of comma-separated fields.
        case wrongFieldCount(found: Int, expected: Int)
        /// A field is not a non-negative decimal integer; `found` is its text, possibly shortened.
        case notAnInteger(field: String, found: String)
        /// A field or byte is an integer outside the range its kind allows.
        case valueOutOfRange(field: String, found: String, allowed: ClosedRange<Int>)
        /// An `ImageId` that breaks the sequence 1, 2, 3, ...
        case wrongImageId(found: Int, expected: Int)
        /// An IDX file's magic number is not the one for its kind of content.
        case badMagic(found: UInt32, expected: UInt32)
        /// An IDX file too short to hold its own header.
        case truncatedIDXHeader(found: Int, expected: Int)
        /// An IDX images file whose rows or columns are zero.
        case zeroImageDimension(dimensions: [Int])
        /// An IDX images file whose images have more than `limit` pixels.
        case imageTooLarge(dimensions: [Int], limit: Int)
        /// An IDX file's size disagrees with the dimensions in its header.
        case wrongIDXSize(found: Int, expected: Int, dimensions: [Int])
        /// Images and labels that belong together have different counts; `otherPath` names the other file.
        case countMismatch(count: Int, otherCount: Int, otherPath: String)
    }

    /// The file the problem is in, as the caller named it.
    public let path: String
    /// Where in the file.
    public let location: Location
    /// What is wrong.
    public let kind: Kind

    /// Creates an error for `path` at `location`.
    public init(path: String, location: Location, kind: Kind) {
        self.path = path
        self.location = location
        self.kind = kind
    }

    /// The 1-based line, for problems located in a text file.
    public var line: Int? {
        if case .text(let line, _) = location { line } else { nil }
    }

    /// The 1-based character column, for problems located in a text file.
    public var column: Int? {
        if case .text(_, let column) = location { column } else { nil }
    }

    /// The words describing the problem, without the location.
    public var message: String {
        switch kind {
        case .unreadable(let reason):
            "cannot read the file: \(reason)"
        case .emptyFile:
            "the file is empty; expected a header line"
        case .unrecognisedHeader(let found, let expected):
            "unrecognised header starting with '\(found)'; expected a first column of "
                + expected.map { "'\($0)'" }.joined(separator: " or ")
        case .wrongHeaderField(let found, let expected):
            "header column is '\(found)', expected '\(expected)'"
        case .wrongHeaderFieldCount(let found, let expected):
            "header has \(found) columns, expected \(expected)"
        case .noRows:
            "no data rows after the header"
        case .blankLine(let expectedFields):
            "blank line; expected a row of \(expectedFields) comma-separated fields"
        case .wrongFieldCount(let found, let expected):
            "row has \(found) fields, expected \(expected)"
        case .notAnInteger(let field, let found) where found.isEmpty:
            "\(field) is empty, expected a non-negative integer"
        case .notAnInteger(let field, let found):
            "\(field) is '\(found)', expected a non-negative integer"
        case .valueOutOfRange(let field, let found, let allowed):
            "\(field) is \(found), expected "
                + (allowed.upperBound == .max
                    ? "at least \(allowed.lowerBound)" : "\(allowed.lowerBound)-\(allowed.upperBound)")
        case .wrongImageId(let found, let expected):
            "ImageId is \(found), expected \(expected) (ImageIds count up from 1)"
        case .badMagic(let found, let expected):
            "bad IDX magic number \(hex(found)), expected \(hex(expected))"
        case .truncatedIDXHeader(let found, let expected):
            "file is \(found) bytes, too short for its \(expected)-byte IDX header"
        case .zeroImageDimension(let dimensions):
            "image dimensions \(spelled(dimensions)) include a zero"
        case .imageTooLarge(let dimensions, let limit):
            "image dimensions \(spelled(dimensions)) exceed the largest supported image of \(limit) pixels"
        case .wrongIDXSize(let found, let expected, let dimensions):
            "file is \(found) bytes, but its header (dimensions \(spelled(dimensions))) needs exactly \(expected)"
        case .countMismatch(let count, let otherCount, let otherPath):
            "holds \(count) entries, but '\(otherPath)' holds \(otherCount); they must match one to one"
        }
    }

    /// The full diagnostic: `PATH:LINE:COL: error: MESSAGE`, or the binary and whole-file variants.
    public var description: String {
        switch location {
        case .file: "\(path): error: \(message)"
        case .text(let line, let column): "\(path):\(line):\(column): error: \(message)"
        case .byte(let offset): "\(path): error: \(message) (at byte \(offset))"
        }
    }
}

/// `60000x28x28`-style spelling of IDX dimensions.
private func spelled(_ dimensions: [Int]) -> String {
    dimensions.map(String.init).joined(separator: "x")
}

/// `0x00000803`-style spelling of an IDX magic number.
private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
