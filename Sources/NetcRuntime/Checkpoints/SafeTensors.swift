import NetcGraph

/// The safetensors file format (Hugging Face's), written here.
///
/// A file is an 8-byte little-endian `UInt64` header length N, N bytes of UTF-8 JSON header, then the data
/// section: every tensor's elements, little-endian and row-major, back to back. The header maps each tensor
/// name to `{"dtype": "F32", "shape": [..], "data_offsets": [BEGIN, END]}` (offsets into the data section)
/// and the optional key `__metadata__` to an object of strings:
///
///     {"__metadata__":{"epoch":"3"},"conv1.weight":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]}}
///
/// netc pads the header with spaces to a multiple of 8 bytes so the data is aligned, as Hugging Face's
/// writer does. Reading is in `SafeTensors+Decoding.swift`.
enum SafeTensors {
    /// The largest header accepted, as in Hugging Face's reader, so a bogus file cannot make us parse
    /// gigabytes of JSON.
    static let headerLimit = 100_000_000
    /// The header key that holds string metadata instead of a tensor.
    static let metadataKey = "__metadata__"

    /// The bytes of a safetensors file holding `tensors` in the given order and `metadata` (keys sorted).
    ///
    /// Float32 tensors are rounded to the nearest `Float`; integer tensors must hold integers in range.
    /// - Throws: ``CheckpointError/Kind`` for a duplicate or reserved name or an unrepresentable value.
    static func encode(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String]
    ) throws(CheckpointError.Kind) -> [UInt8] {
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { jsonString($0.key) + ":" + jsonString($0.value) }
            entries.append(jsonString(metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
        }
        var names = Set<String>()
        var data: [UInt8] = []
        data.reserveCapacity(tensors.reduce(0) { $0 + $1.tensor.type.elementCount * $1.tensor.type.dtype.byteCount })
        for (name, tensor) in tensors {
            guard name != metadataKey else { throw .reservedName(name) }
            guard names.insert(name).inserted else { throw .duplicateName(name) }
            let begin = data.count
            try appendElements(of: tensor, named: name, to: &data)
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append(
                jsonString(name) + ":{\"dtype\":\"\(tensor.type.dtype.safetensorsName)\",\"shape\":[\(shape)],"
                    + "\"data_offsets\":[\(begin),\(data.count)]}")
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        guard header.count <= headerLimit else {
            throw .headerTooLarge(length: UInt64(header.count), limit: headerLimit)
        }
        var file: [UInt8] = []
        file.reserveCapacity(8 + header.count + data.count)
        appendLittleEndian(UInt64(header.count), to: &file)
        file.append(contentsOf: header)
        file.append(contentsOf: data)
        return file
    }

    /// Appends `tensor`'s elements in its dtype's little-endian encoding.
    private static func appendElements(
        of tensor: Tensor, named name: String, to data: inout [UInt8]
    ) throws(CheckpointError.Kind) {
        let dtype = tensor.type.dtype
        for (index, value) in tensor.scalars.enumerated() {
            switch dtype {
            case .float32:
                appendLittleEndian(Float(value).bitPattern, to: &data)
            case .int32:
                guard let integer = Int32(exactly: value) else {
                    throw .valueNotRepresentable(tensor: name, index: index, value: value, dtype: dtype)
                }
                appendLittleEndian(UInt32(bitPattern: integer), to: &data)
            case .int64:
                guard let integer = Int64(exactly: value) else {
                    throw .valueNotRepresentable(tensor: name, index: index, value: value, dtype: dtype)
                }
                appendLittleEndian(UInt64(bitPattern: integer), to: &data)
            }
        }
    }

    private static func appendLittleEndian(_ value: some FixedWidthInteger, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped, the rest as is.
    static func jsonString(_ text: String) -> String {
        var literal = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": literal += "\\\""
            case "\\": literal += "\\\\"
            case "\n": literal += "\\n"
            case "\r": literal += "\\r"
            case "\t": literal += "\\t"
            case "\u{08}": literal += "\\b"
            case "\u{0C}": literal += "\\f"
            case ..<"\u{20}":
                let hex = String(scalar.value, radix: 16)
                literal += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: literal.unicodeScalars.append(scalar)
            }
        }
        return literal + "\""
    }
}
