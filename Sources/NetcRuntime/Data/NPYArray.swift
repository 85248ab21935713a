/// One NumPy `.npy` array: its header checked (C order, a known dtype string), its data exactly as long as the
/// shape and dtype need, and its values read in either byte order.
struct NPYArray {
    /// An array's element type, from a dtype string such as `<f4`.
    struct ElementType {
        /// NumPy's kind code: `u` unsigned, `i` signed, `f` floating point, `b` boolean, ...
        let kind: Character
        /// Bytes per element.
        let size: Int
        /// Whether multi-byte elements are stored most significant byte first (`>`).
        let isBigEndian: Bool
    }

    /// The bytes of the `.npy` file or archive member.
    let contents: LocatedBytes
    /// The array's name in messages: `x` or `y`.
    let name: String
    let header: NPYHeader
    let type: ElementType

    /// Reads and checks the array `contents`, called `name` in messages.
    init(_ contents: LocatedBytes, name: String) throws(DataError) {
        self.contents = contents
        self.name = name
        header = try NPYHeader(contents)
        let descr = header.descr
        let order = descr.first.map { "<>|=".contains($0) } == true ? descr.first : nil
        let code = descr.dropFirst(order == nil ? 0 : 1)
        guard let kind = code.first, kind.isLetter, let size = Int(code.dropFirst()), size > 0 else {
            throw contents.error(
                .unsupportedDType(array: name, found: descr, expected: "plain numeric arrays"), at: header.textOffset)
        }
        type = ElementType(kind: kind, size: size, isBigEndian: order == ">")
        if header.isFortranOrder && header.shape.count > 1 {
            throw contents.error(.fortranOrder(array: name), at: header.textOffset)
        }
        let available = contents.bytes.count - header.dataOffset
        let needed = checkedProduct(header.shape + [size]) ?? Int.max
        guard available == needed else {
            throw contents.error(
                .wrongArraySize(array: name, found: available, expected: needed),
                at: min(contents.bytes.count, header.dataOffset))
        }
    }

    /// The element bytes.
    var data: ArraySlice<UInt8> { contents.bytes[header.dataOffset...] }

    /// The elements of a float32 array, every one finite.
    func finiteFloats() throws(DataError) -> [Float] {
        let count = data.count / 4
        var values = [Float](repeating: 0, count: count)
        let start = header.dataOffset
        let isBigEndian = type.isBigEndian
        let firstBad: (index: Int, value: Float)? = values.withUnsafeMutableBufferPointer { values in
            contents.bytes.withUnsafeBytes { bytes in
                for index in 0..<count {
                    let raw = bytes.loadUnaligned(fromByteOffset: start + 4 * index, as: UInt32.self)
                    let value = Float(bitPattern: isBigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw))
                    guard value.isFinite else { return (index, value) }
                    values[index] = value
                }
                return nil
            }
        }
        if let firstBad {
            throw contents.error(
                .nonFiniteValue(array: name, index: index(of: firstBad.index), value: "\(firstBad.value)"),
                at: start + 4 * firstBad.index)
        }
        return values
    }

    /// The elements of an integer array as labels, each one of the expected classes.
    func labels(expecting expectation: DataExpectation) throws(DataError) -> [Int] {
        let (size, isSigned, isBigEndian) = (type.size, type.kind == "i", type.isBigEndian)
        var labels = [Int](repeating: 0, count: data.count / size)
        for index in labels.indices {
            let offset = header.dataOffset + index * size
            let bytes = contents.bytes[offset..<offset + size]
            var value =
                (isBigEndian
                    ? bytes.reduce(0) { $0 << 8 | UInt64($1) } : bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) })
            if isSigned, size < 8, value >> (8 * size - 1) == 1 { value |= ~0 << (8 * size) }  // sign extension
            // Unsigned values past Int.max come out negative, and are reported as labels out of range.
            labels[index] = Int(truncatingIfNeeded: value)
            try expectation.check(label: labels[index], path: contents.path, at: contents.location(offset))
        }
        return labels
    }

    /// The multi-dimensional index of the element at flat position `flat`.
    private func index(of flat: Int) -> [Int] {
        var remainder = flat
        return header.shape.reversed().map { dimension in
            defer { remainder /= dimension }
            return remainder % dimension
        }.reversed()
    }
}
