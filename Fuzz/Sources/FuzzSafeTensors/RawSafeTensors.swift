import Foundation
import NetcGraph

@testable import NetcRuntime

/// A safetensors file as the harness reads it on its own, to check the reader against: the 8-byte header
/// length, the header parsed by Foundation's JSON parser, and the data section's little-endian elements.
struct RawSafeTensors {
    /// One tensor's header entry.
    struct Entry {
        var dtype: DType
        var shape: [Int]
        var begin: Int
    }

    /// The whole input.
    let bytes: [UInt8]
    /// The header length the first 8 bytes hold, nil when there are fewer.
    let headerLength: UInt64?
    /// The header's top-level object, nil when it lies outside the file or Foundation does not read it as one.
    let header: [String: Any]?

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        headerLength = bytes.count >= 8 ? bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } : nil
        if let headerLength, headerLength <= UInt64(bytes.count - 8) {
            let text = Data(bytes[8..<(8 + Int(headerLength))])
            header = (try? JSONSerialization.jsonObject(with: text, options: .fragmentsAllowed)) as? [String: Any]
        } else {
            header = nil
        }
    }

    /// The byte offsets a header problem can lie at: the header's bytes, its end included.
    var headerOffsets: ClosedRange<Int>? { headerLength.map { 8...(8 + Int(clamping: $0)) } }
    /// The size of the data section, when the header lies inside the file.
    var dataSize: Int? { headerLength.flatMap { $0 <= UInt64(bytes.count - 8) ? bytes.count - 8 - Int($0) : nil } }

    /// Whether `name` is a tensor or metadata key of the header: by Foundation's reading when it reads the
    /// header, else by the name appearing quoted in the header's bytes (or an escape that could spell it).
    func names(_ name: String) -> Bool {
        if let header {
            return header[name] != nil || (header[SafeTensors.metadataKey] as? [String: Any])?[name] != nil
        }
        guard let headerOffsets else { return false }
        let text = bytes[headerOffsets.lowerBound..<headerOffsets.upperBound]
        return text.contains(UInt8(ascii: "\\")) || contains(Array("\"\(name)\"".utf8), in: text)
    }

    /// The header entry of tensor `name`, as Foundation reads it.
    func entry(_ name: String) -> Entry? {
        guard let fields = header?[name] as? [String: Any], let dtypeName = fields["dtype"] as? String,
            let dtype = DType(safetensorsName: dtypeName), let shape = fields["shape"] as? [Int],
            let offsets = fields["data_offsets"] as? [Int], offsets.count == 2
        else { return nil }
        return Entry(dtype: dtype, shape: shape, begin: offsets[0])
    }

    /// The elements of `entry`, read little-endian from the data section.
    func elements(of entry: Entry) -> [Double] {
        let size = entry.dtype.byteCount
        let count = entry.shape.reduce(1, *)
        let start = 8 + Int(headerLength ?? 0) + entry.begin
        return (0..<count).map { index in
            let word = (0..<size).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[start + index * size + $1]) }
            switch entry.dtype {
            case .float32: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: word)))
            case .int32: return Double(Int32(truncatingIfNeeded: word))
            case .int64: return Double(Int64(bitPattern: word))
            }
        }
    }

    private func contains(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (haystack.startIndex...(haystack.endIndex - needle.count)).contains {
            haystack[$0..<($0 + needle.count)].elementsEqual(needle)
        }
    }
}
