import FuzzSupport

@testable import NetcRuntime

/// Fails unless `kind`, the reader's error for `file`, points inside it as the harness reads the file itself: a
/// byte offset among the header's bytes (its end included), where the bytes before it are valid UTF-8 for a
/// UTF-8 error; sizes and lengths that are the file's; a tensor or metadata name the header holds; offsets
/// within the data section. An error the reader never gives fails too.
func requireInside(_ kind: CheckpointError.Kind, of file: RawSafeTensors) {
    let error = CheckpointError(path: "fuzz.safetensors", kind: kind)
    guard error.description.hasPrefix("fuzz.safetensors: error: ") else { fail("error does not name the file: \(error)") }
    func require(_ condition: Bool, _ what: String) {
        guard condition else { fail("\(what): \(error)") }
    }
    func requireByte(_ offset: Int) {
        require(error.description.hasSuffix(" (at byte \(offset))"), "error does not end with its byte offset")
        require(file.headerOffsets?.contains(offset) == true, "byte \(offset) lies outside the header")
    }
    func requireNamed(_ names: String...) {
        for name in names { require(file.names(name), "'\(name)' is not a name in the header") }
    }
    switch kind {
    case .tooShortForHeaderLength(let fileSize):
        require(fileSize == file.bytes.count && file.headerLength == nil, "the file is \(file.bytes.count) bytes")
    case .headerTooLarge(let length, let limit):
        require(length == file.headerLength && length > UInt64(limit), "not the file's header length")
    case .headerBeyondFile(let length, let available):
        require(length == file.headerLength && available == file.bytes.count - 8, "not the file's header length")
        require(length > UInt64(available), "the header fits")
    case .headerNotUTF8(let offset):
        requireByte(offset)
        require(String(validating: file.bytes[8..<offset], as: UTF8.self) != nil, "bad UTF-8 before the offset")
        require(offset < file.headerOffsets!.upperBound, "the bad byte is past the header")
    case .invalidJSON(_, let offset):
        requireByte(offset)
    case .headerNotObject:
        require(file.header == nil, "Foundation reads the header as an object")
    case .metadataNotObject:
        require(file.names(SafeTensors.metadataKey), "the header has no metadata")
    case .duplicateName(let name), .metadataValueNotString(let name), .tensorEntryNotObject(let name),
        .missingField(let name, _), .malformedField(let name, _, _), .unsupportedDType(let name, _),
        .tensorTooLarge(let name, _), .byteCountMismatch(let name, _, _, _):
        requireNamed(name)
    case .trailingBytes(let name?, let count):
        requireNamed(name)
        require(0 < count && count <= file.dataSize ?? -1, "the trailing bytes are not in the data section")
    case .offsetsOutOfBounds(let name, _, let end, let dataSize):
        requireNamed(name)
        require(dataSize == file.dataSize && end > dataSize, "the tensor ends inside the data section")
    case .overlappingTensors(let name, let other):
        requireNamed(name, other)
    case .gapBeforeTensor(let name, let gapBegin, let gapEnd):
        requireNamed(name)
        require(0 <= gapBegin && gapBegin < gapEnd && gapEnd <= file.dataSize ?? -1, "the gap is not in the data")
    case .trailingBytes(nil, let count):
        require(count == file.dataSize && count > 0, "not the data section's size")
    case .unreadable, .unwritable, .reservedName, .valueNotRepresentable, .missingTensor, .unexpectedTensor,
        .wrongTensorType:
        fail("decoding bytes cannot give this error: \(error)")
    }
}
