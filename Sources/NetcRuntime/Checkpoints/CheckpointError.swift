import NetcGraph

/// A problem reading, writing or matching a checkpoint, or writing any file atomically, naming the file.
///
/// `description` reads like a compiler diagnostic, `PATH: error: MESSAGE`. Every message of the checkpoint
/// code (safetensors reading and writing, the model matcher, atomic file writes) is written here and nowhere
/// else; tensor names in messages are quoted, offsets count from the start of the safetensors data section.
public struct CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Error, Equatable, Sendable {
        /// The file could not be opened or read; `reason` is the system's explanation.
        case unreadable(reason: String)
        /// An atomic write failed at `step`; `reason` is the system's explanation. The target is unchanged.
        case unwritable(step: AtomicFile.Step, reason: String)
        /// The file is shorter than the 8-byte header length that starts every safetensors file.
        case tooShortForHeaderLength(fileSize: Int)
        /// The header length is above the format's limit.
        case headerTooLarge(length: UInt64, limit: Int)
        /// The header length points past the end of the file.
        case headerBeyondFile(length: UInt64, available: Int)
        /// The header is not valid UTF-8; `byteOffset`, counted from the start of the file, is the first bad byte.
        case headerNotUTF8(byteOffset: Int)
        /// The header is not valid JSON; `byteOffset` counts from the start of the file.
        case invalidJSON(JSONSyntaxProblem, byteOffset: Int)
        /// The header is valid JSON but not an object.
        case headerNotObject
        /// Two tensors (or two `__metadata__` entries) share a name.
        case duplicateName(String)
        /// A tensor to be written is called `__metadata__`, the name the format reserves.
        case reservedName(String)
        /// `__metadata__` is not an object.
        case metadataNotObject
        /// A `__metadata__` value is not a string.
        case metadataValueNotString(key: String)
        /// A tensor's header entry is not an object.
        case tensorEntryNotObject(tensor: String)
        /// A tensor's header entry lacks `field`.
        case missingField(tensor: String, field: String)
        /// A tensor's `field` has the wrong form; `expected` says what it should be.
        case malformedField(tensor: String, field: String, expected: String)
        /// A tensor's dtype is not one netc reads.
        case unsupportedDType(tensor: String, found: String)
        /// A tensor's element or byte count does not fit in an `Int`.
        case tensorTooLarge(tensor: String, shape: [Int])
        /// A tensor's byte range is not as long as its dtype and shape need.
        case byteCountMismatch(tensor: String, type: TensorType, expected: Int, found: Int)
        /// A tensor's byte range ends past the data section.
        case offsetsOutOfBounds(tensor: String, begin: Int, end: Int, dataSize: Int)
        /// Two tensors' byte ranges overlap.
        case overlappingTensors(tensor: String, other: String)
        /// Bytes no tensor owns lie before a tensor.
        case gapBeforeTensor(tensor: String, gapBegin: Int, gapEnd: Int)
        /// Bytes no tensor owns lie at the end of the data section; `after` is the last tensor, if any.
        case trailingBytes(after: String?, count: Int)
        /// A value of an integer tensor to be written is not an integer its dtype can hold.
        case valueNotRepresentable(tensor: String, index: Int, value: Double, dtype: DType)
        /// The model needs a tensor the checkpoint lacks.
        case missingTensor(name: String, expected: TensorType)
        /// The checkpoint holds a tensor the model does not have.
        case unexpectedTensor(name: String, found: TensorType)
        /// A tensor's dtype or shape differs from the model's.
        case wrongTensorType(name: String, found: TensorType, expected: TensorType)
    }

    /// The file, as the caller named it.
    public let path: String
    /// What is wrong.
    public let kind: Kind

    /// Creates an error for the file at `path`.
    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    /// The full diagnostic: `PATH: error: MESSAGE`.
    public var description: String { "\(path): error: \(message)" }

    /// The words describing the problem, without the file.
    public var message: String {
        switch kind {
        case .unreadable(let reason):
            "cannot read the file: \(reason)"
        case .unwritable(.syncDirectory, let reason):
            "the new contents are in place, but \(AtomicFile.Step.syncDirectory.words) failed: \(reason); "
                + "they may not survive a crash"
        case .unwritable(let step, let reason):
            "cannot write the file: \(step.words) failed: \(reason); the file was left as it was"
        case .tooShortForHeaderLength(let fileSize):
            "the file is \(fileSize) bytes, too short for a safetensors file's 8-byte header length"
        case .headerTooLarge(let length, let limit):
            "the header length is \(length) bytes, above the safetensors limit of \(limit)"
        case .headerBeyondFile(let length, let available):
            "the header length is \(length) bytes, but only \(available) bytes follow it (is the file truncated?)"
        case .headerNotUTF8(let byteOffset):
            "the header is not valid UTF-8 (at byte \(byteOffset))"
        case .invalidJSON(let problem, let byteOffset):
            "the header is not valid JSON: \(problem.words) (at byte \(byteOffset))"
        case .headerNotObject:
            "the header is not a JSON object of tensor entries"
        case .duplicateName(let name):
            "the name '\(name)' appears more than once"
        case .reservedName(let name):
            "a tensor cannot be called '\(name)': safetensors reserves that name for metadata"
        case .metadataNotObject:
            "'__metadata__' is not an object of string values"
        case .metadataValueNotString(let key):
            "metadata '\(key)' is not a string; safetensors metadata values must be strings"
        case .tensorEntryNotObject(let tensor):
            "tensor '\(tensor)': the entry is not an object with 'dtype', 'shape' and 'data_offsets'"
        case .missingField(let tensor, let field):
            "tensor '\(tensor)' has no '\(field)'"
        case .malformedField(let tensor, let field, let expected):
            "tensor '\(tensor)': '\(field)' is not \(expected)"
        case .unsupportedDType(let tensor, let found):
            "tensor '\(tensor)' has dtype '\(found)'; netc reads \(DType.safetensorsNames)"
        case .tensorTooLarge(let tensor, let shape):
            "tensor '\(tensor)' has shape \(shape), too large to hold in memory"
        case .byteCountMismatch(let tensor, let type, let expected, let found):
            "tensor '\(tensor)' is \(type), which needs \(expected) bytes, but its data_offsets span \(found)"
        case .offsetsOutOfBounds(let tensor, let begin, let end, let dataSize):
            "tensor '\(tensor)' has data_offsets [\(begin), \(end)], past the end of the \(dataSize)-byte data "
                + "section (is the file truncated?)"
        case .overlappingTensors(let tensor, let other):
            "tensors '\(other)' and '\(tensor)' overlap in the data section"
        case .gapBeforeTensor(let tensor, let gapBegin, let gapEnd):
            "bytes \(gapBegin)..<\(gapEnd) of the data section, before tensor '\(tensor)', belong to no tensor"
        case .trailingBytes(let after?, let count):
            "\(count) bytes after the last tensor '\(after)' belong to no tensor"
        case .trailingBytes(nil, let count):
            "the file has no tensors but \(count) bytes of data"
        case .valueNotRepresentable(let tensor, let index, let value, let dtype):
            "tensor '\(tensor)' element \(index) is \(value), which a \(dtype) tensor cannot hold"
        case .missingTensor(let name, let expected):
            "the model needs tensor '\(name)' (\(expected)), but the checkpoint has none by that name"
        case .unexpectedTensor(let name, let found):
            "tensor '\(name)' (\(found)) is not part of the model; was the checkpoint made from another model?"
        case .wrongTensorType(let name, let found, let expected) where found.dtype == expected.dtype:
            "tensor '\(name)' has shape \(found.shape), the model expects \(expected.shape)"
        case .wrongTensorType(let name, let found, let expected):
            "tensor '\(name)' is \(found), the model expects \(expected)"
        }
    }
}

/// What is wrong with the JSON text of a safetensors header.
public enum JSONSyntaxProblem: Equatable, Sendable {
    /// The header ends where `expected` should be.
    case unexpectedEnd(expected: String)
    /// A character is not the `expected` one.
    case unexpectedCharacter(found: String, expected: String)
    /// A backslash escape is not one JSON defines.
    case invalidEscape
    /// A `\u` escape is half of a surrogate pair without the other half.
    case unpairedSurrogate
    /// A string holds a raw control character (below U+0020).
    case controlCharacterInString
    /// Objects and arrays are nested deeper than the reader allows.
    case nestedTooDeep(limit: Int)

    /// The words for this problem.
    var words: String {
        switch self {
        case .unexpectedEnd(let expected): "the header ends where \(expected) was expected"
        case .unexpectedCharacter(let found, let expected): "found '\(found)' where \(expected) was expected"
        case .invalidEscape: "invalid backslash escape in a string"
        case .unpairedSurrogate: "a \\u escape is half of a UTF-16 surrogate pair"
        case .controlCharacterInString: "a string holds a raw control character"
        case .nestedTooDeep(let limit): "objects and arrays are nested more than \(limit) deep"
        }
    }
}

extension AtomicFile.Step {
    /// The words for this step.
    var words: String {
        switch self {
        case .createTemporaryFile(let name): "creating the temporary file '\(name)'"
        case .writeTemporaryFile: "writing the temporary file"
        case .syncTemporaryFile: "flushing the temporary file to disk"
        case .closeTemporaryFile: "closing the temporary file"
        case .replaceTarget: "renaming the temporary file over the target"
        case .syncDirectory: "flushing the directory to disk"
        }
    }
}
