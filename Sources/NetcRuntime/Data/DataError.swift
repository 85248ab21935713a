import NetcGraph

/// A problem with a data file (Kaggle CSV, labels CSV, IDX), naming the file and the place in it.
///
/// `description` reads like a compiler diagnostic, `PATH:LINE:COL: error: MESSAGE` for text files (1-based
/// line and character column) and `PATH: error: MESSAGE (at byte N)` for binary files. Every message the
/// data loaders can produce is written in `message`, and nowhere else.
public struct DataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where in the file the problem is.
    public enum Location: Equatable, Sendable {
        /// The file as a whole (it cannot be read, or its contents disagree with another file).
        case file
        /// A 1-based line and 1-based character column of a text file.
        case text(line: Int, column: Int)
        /// A 0-based byte offset into a binary file.
        case byte(Int)
        /// A 0-based byte offset into a part of a file: a member of an archive, or the decompressed data.
        case byteIn(Int, part: String)
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
        /// A Kaggle CSV header whose pixel columns do not make one image of the shape the model expects.
        case pixelColumnMismatch(found: Int, expected: ImageShape, model: String)
        /// A file whose images are not of the shape the model expects.
        case shapeMismatch(found: ImageShape, expected: ImageShape, model: String)
        /// A label that is not one of the model's classes, `0..<classes`.
        case labelOutOfRange(found: Int, classes: Int, model: String)
        /// Data without labels where `purpose` ("training") needs them.
        case noLabels(purpose: String)
        /// A folder without a file of the role wanted (`role` names it); `candidates` are the names looked for.
        case noDataFound(role: String, candidates: [String])
        /// A folder with more than one file of the role wanted.
        case ambiguousData(role: String, found: [String])
        /// An IDX file's magic number is none of the ones for its kind of content.
        case badMagic(found: UInt32, expected: [UInt32])
        /// An IDX file of a data type other than unsigned bytes (the magic number's third byte).
        case unsupportedIDXType(found: UInt8)
        /// A file that should be a NumPy `.npy` array and does not start like one.
        case notNumPy
        /// A `.npy` format version other than 1.0, 2.0 and 3.0.
        case unsupportedNPYVersion(major: Int, minor: Int)
        /// A `.npy` header that is not the dictionary NumPy writes; `expected` says what should have come.
        case npyHeader(expected: String)
        /// An array of a type netc does not read; `expected` lists the ones it does.
        case unsupportedDType(array: String, found: String, expected: String)
        /// A multi-dimensional array stored column-major.
        case fortranOrder(array: String)
        /// An array with the wrong number of dimensions; `expected` spells the right shapes.
        case wrongArrayRank(array: String, shape: [Int], expected: String)
        /// An array whose data is not exactly as long as its shape and dtype need.
        case wrongArraySize(array: String, found: Int, expected: Int)
        /// A NaN or infinite pixel value, at `index` of the array.
        case nonFiniteValue(array: String, index: [Int], value: String)
        /// Image and label arrays of different lengths.
        case arrayCountMismatch(images: Int, labels: Int)
        /// An `.npz` archive without the array `name`; `found` lists the arrays it has.
        case missingArray(name: String, found: [String])
        /// Data holding no images at all.
        case noImages
        /// A zip archive (an `.npz` file) whose structure is damaged or beyond what netc reads.
        case damagedArchive(ArchiveDamage)
        /// gzip or deflate data that zlib cannot decompress; `reason` is zlib's explanation.
        case corruptCompressedData(reason: String)
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

    /// The 0-based byte offset, for problems located in a binary file or a part of one.
    public var byteOffset: Int? {
        switch location {
        case .byte(let offset), .byteIn(let offset, _): offset
        case .file, .text: nil
        }
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
        case .pixelColumnMismatch(let found, let expected, let model):
            "the header has \(found) pixel columns, but \(model) expects \(expected) images (channels×height×width): "
                + "\(expected.elementCount) columns pixel0...pixel\(expected.elementCount - 1), channel by channel"
        case .shapeMismatch(let found, let expected, let model):
            "\(model) expects \(expected) images (channels×height×width), this file holds \(found)"
        case .labelOutOfRange(let found, let classes, let model):
            "label \(found) is not a class of \(model), which has \(classes) (labels 0-\(classes - 1))"
        case .noLabels(let purpose):
            "the data holds no labels, which \(purpose) needs: a first column 'label' in a CSV, y in NumPy data, a "
                + "labels-idx1-ubyte file beside IDX images"
        case .noDataFound(let role, let candidates):
            "no \(role) in this folder; looked for " + candidates.joined(separator: ", ")
        case .ambiguousData(let role, let found):
            "the folder holds \(role) in more than one file (" + found.joined(separator: ", ")
                + "); name the one to use instead of the folder"
        case .badMagic(let found, let expected):
            "bad IDX magic number \(hex(found)), expected " + expected.map { hex($0) }.joined(separator: " or ")
        case .notNumPy:
            "not a NumPy .npy array: it does not start with \\x93NUMPY"
        case .unsupportedNPYVersion(let major, let minor):
            ".npy format version \(major).\(minor) is not supported; netc reads 1.0, 2.0 and 3.0"
        case .npyHeader(let expected):
            "the .npy header is malformed: expected \(expected)"
        case .unsupportedDType(let array, let found, let expected):
            "\(array) has dtype '\(found)'" + (numPyTypeName(found).map { " (\($0))" } ?? "")
                + "; netc reads \(expected)"
        case .fortranOrder(let array):
            "\(array) is stored in Fortran (column-major) order; save np.ascontiguousarray(\(array)) instead"
        case .wrongArrayRank(let array, let shape, let expected):
            "\(array) has shape (\(shape.map(String.init).joined(separator: ", "))); expected \(expected)"
        case .wrongArraySize(let array, let found, let expected):
            "\(array)'s data is \(found) bytes, but its shape and dtype need exactly \(expected)"
        case .nonFiniteValue(let array, let index, let value):
            "\(array)[\(index.map(String.init).joined(separator: ", "))] is \(value); pixel values must be finite"
        case .arrayCountMismatch(let images, let labels):
            "x holds \(images) images but y holds \(labels) labels; they must match one to one"
        case .missingArray(let name, let found):
            "the archive holds no array '\(name)' (it has " + (found.isEmpty ? "none" : found.joined(separator: ", "))
                + "); save the images as x and the labels as y: np.savez(path, x=images, y=labels)"
        case .noImages:
            "the data holds no images"
        case .damagedArchive(let damage):
            damage.message
        case .corruptCompressedData(let reason):
            "the compressed data is damaged: \(reason)"
        case .unsupportedIDXType(let found):
            "IDX data type \(hex(UInt32(found), digits: 2)) is not supported; netc reads unsigned bytes (0x08)"
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
        case .byteIn(let offset, let part): "\(path): error: \(message) (at byte \(offset) of \(part))"
        }
    }
}

/// `60000x28x28`-style spelling of IDX dimensions.
private func spelled(_ dimensions: [Int]) -> String {
    dimensions.map(String.init).joined(separator: "x")
}

/// `0x00000803`-style spelling of an IDX magic number, or `0x0d` of one byte.
private func hex(_ value: UInt32, digits: Int = 8) -> String {
    let spelled = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, digits - spelled.count)) + spelled
}

/// What is wrong with a zip archive's structure.
public enum ArchiveDamage: Equatable, Sendable {
    /// No end-of-central-directory record: not a zip archive at all, or a truncated one.
    case noEndRecord
    /// A record that is not where, or not what, the archive says; `record` names it.
    case badRecord(String)
    /// An encrypted member.
    case encrypted(String)
    /// A member compressed by a method other than stored (0) or deflate (8).
    case unsupportedMethod(String, method: Int)
    /// A member whose data would lie beyond the file, or whose stated size is impossible.
    case memberOutOfBounds(String)
    /// A stored member whose compressed and uncompressed sizes differ.
    case storedSizes(String)
    /// A member whose CRC-32 differs from its directory entry's.
    case checksum(String, found: UInt32, expected: UInt32)

    var message: String {
        switch self {
        case .noEndRecord:
            "not a zip archive (no end-of-central-directory record): an .npz file is one, as np.savez writes it"
        case .badRecord(let record):
            "the zip archive's \(record) is damaged"
        case .encrypted(let member):
            "\(member) is encrypted; netc reads plain archives"
        case .unsupportedMethod(let member, let method):
            "\(member) is compressed by method \(method); netc reads stored (0) and deflate (8) members, as np.savez "
                + "and np.savez_compressed write them"
        case .memberOutOfBounds(let member):
            "\(member)'s sizes or offset in the zip directory do not fit the file (is it truncated?)"
        case .storedSizes(let member):
            "\(member) is stored uncompressed, but its sizes in the zip directory differ"
        case .checksum(let member, let found, let expected):
            "\(member)'s CRC-32 is \(hex(found)), but the zip directory says \(hex(expected)): the data is damaged"
        }
    }
}

/// NumPy's name of the dtype `descr` (`<f8` → `float64`), when it is a common one.
private func numPyTypeName(_ descr: String) -> String? {
    let code = descr.drop { "<>|=".contains($0) }
    let names = [
        "b1": "bool", "i1": "int8", "i2": "int16", "i4": "int32", "i8": "int64", "u1": "uint8", "u2": "uint16",
        "u4": "uint32", "u8": "uint64", "f2": "float16", "f4": "float32", "f8": "float64", "f16": "float128",
        "c8": "complex64", "c16": "complex128", "O": "object",
    ]
    return names[String(code)]
}
