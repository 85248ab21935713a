import NetcGraph

extension SafeTensors {
    /// One tensor's header entry, checked on its own.
    private struct Entry {
        let name: String
        let type: TensorType
        /// The byte range in the data section.
        let begin: Int
        let end: Int
    }

    /// Reads a safetensors file's bytes, trusting nothing in them.
    ///
    /// The header length is checked against the limit and the file size before anything is allocated; every
    /// entry must have a supported dtype, a shape and offsets whose byte count agree, and the tensors must
    /// tile the data section exactly, with no gaps, overlaps or trailing bytes. Tensors come back in header
    /// order.
    /// - Throws: ``CheckpointError/Kind`` naming the first problem and, where there is one, the tensor.
    static func decode(_ bytes: [UInt8]) throws(CheckpointError.Kind) -> Checkpoint {
        guard bytes.count >= 8 else { throw .tooShortForHeaderLength(fileSize: bytes.count) }
        let headerLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(headerLimit) else {
            throw .headerTooLarge(length: headerLength, limit: headerLimit)
        }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw .headerBeyondFile(length: headerLength, available: bytes.count - 8)
        }
        let dataStart = 8 + Int(headerLength)
        let header = bytes[8..<dataStart]
        if let badByte = firstInvalidUTF8(in: header) { throw .headerNotUTF8(byteOffset: badByte) }
        guard case .object(let members) = try JSONReader.parse(header) else { throw .headerNotObject }

        var seen = Set<String>()
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        for member in members {
            guard seen.insert(member.key).inserted else { throw .duplicateName(member.key) }
            if member.key == metadataKey {
                metadata = try decodeMetadata(member.value)
            } else {
                entries.append(try decodeEntry(named: member.key, member.value))
            }
        }
        try checkLayout(of: entries, dataSize: bytes.count - dataStart)
        let tensors = entries.map { entry in
            (entry.name, decodeTensor(entry.type, from: bytes[(dataStart + entry.begin)..<(dataStart + entry.end)]))
        }
        return Checkpoint(tensors: tensors, metadata: metadata)
    }

    /// The index of the first byte of `bytes` that does not belong to a valid UTF-8 sequence, if any.
    private static func firstInvalidUTF8(in bytes: ArraySlice<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = bytes.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    private static func decodeMetadata(_ value: JSONValue) throws(CheckpointError.Kind) -> [String: String] {
        guard case .object(let members) = value else { throw .metadataNotObject }
        var metadata: [String: String] = [:]
        for member in members {
            guard case .string(let text) = member.value else { throw .metadataValueNotString(key: member.key) }
            guard metadata.updateValue(text, forKey: member.key) == nil else { throw .duplicateName(member.key) }
        }
        return metadata
    }

    private static func decodeEntry(named name: String, _ value: JSONValue) throws(CheckpointError.Kind) -> Entry {
        guard case .object(let fields) = value else { throw .tensorEntryNotObject(tensor: name) }
        func field(_ key: String) throws(CheckpointError.Kind) -> JSONValue {
            let matches = fields.filter { $0.key == key }
            guard let match = matches.first else { throw .missingField(tensor: name, field: key) }
            guard matches.count == 1 else { throw .malformedField(tensor: name, field: key, expected: "written once") }
            return match.value
        }

        guard case .string(let dtypeName) = try field("dtype") else {
            throw .malformedField(tensor: name, field: "dtype", expected: "a string such as \"F32\"")
        }
        guard let dtype = DType(safetensorsName: dtypeName) else {
            throw .unsupportedDType(tensor: name, found: dtypeName)
        }
        guard case .array(let dimensions) = try field("shape"),
            case let shape = dimensions.compactMap(\.nonNegativeInteger), shape.count == dimensions.count
        else { throw .malformedField(tensor: name, field: "shape", expected: "a list of non-negative integers") }
        guard case .array(let offsets) = try field("data_offsets"), offsets.count == 2,
            let begin = offsets[0].nonNegativeInteger, let end = offsets[1].nonNegativeInteger, begin <= end
        else {
            throw .malformedField(
                tensor: name, field: "data_offsets", expected: "a pair [BEGIN, END] of byte offsets with BEGIN <= END")
        }

        var byteCount = dtype.byteCount
        for dimension in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .tensorTooLarge(tensor: name, shape: shape) }
            byteCount = product
        }
        let type = TensorType(dtype, shape)
        guard byteCount == end - begin else {
            throw .byteCountMismatch(tensor: name, type: type, expected: byteCount, found: end - begin)
        }
        return Entry(name: name, type: type, begin: begin, end: end)
    }

    /// Checks that the entries' byte ranges tile `0..<dataSize` exactly.
    private static func checkLayout(of entries: [Entry], dataSize: Int) throws(CheckpointError.Kind) {
        var covered = 0
        var previous: String?
        for entry in entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            guard entry.end <= dataSize else {
                throw .offsetsOutOfBounds(tensor: entry.name, begin: entry.begin, end: entry.end, dataSize: dataSize)
            }
            if entry.begin < covered, let previous { throw .overlappingTensors(tensor: entry.name, other: previous) }
            if entry.begin > covered {
                throw .gapBeforeTensor(tensor: entry.name, gapBegin: covered, gapEnd: entry.begin)
            }
            covered = entry.end
            previous = entry.name
        }
        guard covered == dataSize else { throw .trailingBytes(after: previous, count: dataSize - covered) }
    }

    /// The tensor of `type` whose little-endian elements are `bytes`, which hold exactly enough of them.
    private static func decodeTensor(_ type: TensorType, from bytes: ArraySlice<UInt8>) -> Tensor {
        let size = type.dtype.byteCount
        var scalars: [Double] = []
        scalars.reserveCapacity(bytes.count / size)
        for start in stride(from: bytes.startIndex, to: bytes.endIndex, by: size) {
            let word = bytes[start..<(start + size)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            switch type.dtype {
            case .float32: scalars.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: word))))
            case .int32: scalars.append(Double(Int32(bitPattern: UInt32(truncatingIfNeeded: word))))
            case .int64: scalars.append(Double(Int64(bitPattern: word)))
            }
        }
        return Tensor(type, scalars)
    }
}
