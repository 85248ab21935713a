extension Dataset {
    /// Loads a Kaggle-style CSV: `train.csv` (`label,pixel0,...`) or `test.csv` (`pixel0,...`), as the model
    /// described by `expectation` needs it.
    ///
    /// The header decides whether rows carry a label: `label` first means labelled, `pixel0` first means
    /// unlabelled, and the rest must be `pixel0`, `pixel1`, ... in order, exactly one column per value of an
    /// image of the expected shape, channel after channel (C·H·W columns). Every row must hold that many
    /// fields, each a decimal integer: pixels 0-255, labels one of the model's classes. Lines may end in `\n`
    /// or `\r\n`, and the final newline may be missing. The file is read as bytes and parsed in one pass, so
    /// MNIST's 110 MB `train.csv` loads in a fraction of a second in a release build.
    /// - Throws: ``DataError`` naming the file, line and column of the first problem.
    public static func loadKaggleCSV(
        _ path: String, expecting expectation: DataExpectation
    ) throws(DataError)
        -> Dataset
    {
        try parseKaggleCSV(readFileBytes(at: path), path: path, expecting: expectation)
    }

    /// Parses the bytes of a Kaggle CSV already in memory, as ``loadKaggleCSV(_:expecting:)`` does; `path`
    /// names the file in errors.
    static func parseKaggleCSV(
        _ bytes: [UInt8], path: String, expecting expectation: DataExpectation
    )
        throws(DataError) -> Dataset
    {
        try bytes.withUnsafeBufferPointer { (buffer) throws(DataError) in
            var scanner = CSVScanner(path: path, bytes: buffer)
            return try parseKaggleCSV(&scanner, expecting: expectation)
        }
    }

    /// Parses a whole Kaggle CSV from the scanner's start.
    private static func parseKaggleCSV(
        _ scanner: inout CSVScanner, expecting expectation: DataExpectation
    )
        throws(DataError) -> Dataset
    {
        let (isLabelled, pixelCount) = try scanner.readPixelHeader()
        guard pixelCount == expectation.shape.elementCount else {
            throw DataError(
                path: scanner.path, location: .text(line: 1, column: 1),
                kind: .pixelColumnMismatch(found: pixelCount, expected: expectation.shape, model: expectation.model))
        }
        scanner.skipLineEnd()
        let fieldCount = pixelCount + (isLabelled ? 1 : 0)
        let firstPixelField = isLabelled ? 1 : 0
        let name = { (index: Int) in index < firstPixelField ? "label" : "pixel\(index - firstPixelField)" }

        // Every row takes at least one digit and one separator per field, which bounds the row count by the
        // file's size without a counting pass, and keeps a file of blank lines from asking for huge buffers.
        let rowCapacity = scanner.bytes.count / (2 * fieldCount - 1) + 1
        var images = [UInt8](repeating: 0, count: rowCapacity * pixelCount)
        var labels = [Int](repeating: 0, count: isLabelled ? rowCapacity : 0)
        var rowCount = 0
        try images.withUnsafeMutableBufferPointer { (images) throws(DataError) in
            try labels.withUnsafeMutableBufferPointer { (labels) throws(DataError) in
                while !scanner.isAtEnd {
                    guard !scanner.isAtLineEnd else { throw scanner.error(.blankLine(expectedFields: fieldCount)) }
                    precondition(rowCount < rowCapacity, "the row capacity bound is wrong")
                    if isLabelled {
                        labels[rowCount] = try scanner.readLabel(0, of: fieldCount, expecting: expectation, name: name)
                    }
                    let row = images.baseAddress.map { $0 + rowCount * pixelCount - firstPixelField }
                    for field in firstPixelField..<fieldCount {
                        let pixel = try scanner.readField(field, of: fieldCount, allowed: 0...255, name: name)
                        row?[field] = UInt8(truncatingIfNeeded: pixel)
                    }
                    scanner.skipLineEnd()
                    rowCount += 1
                }
            }
        }
        guard rowCount > 0 else { throw scanner.error(.noRows) }
        images.removeLast((rowCapacity - rowCount) * pixelCount)
        labels.removeLast(isLabelled ? rowCapacity - rowCount : 0)
        return Dataset(shape: expectation.shape, pixels: .uint8(images), labels: isLabelled ? labels : nil)
    }
}

extension CSVScanner {
    /// Reads a Kaggle header up to its line end: `label` or `pixel0` first, then `pixel1`, `pixel2`, ... in order.
    ///
    /// Names are compared as they are read, so a header of millions of fields costs no memory.
    /// - Returns: whether the rows carry a label, and the number of pixel columns.
    fileprivate mutating func readPixelHeader() throws(DataError) -> (isLabelled: Bool, pixelCount: Int) {
        guard !isAtEnd else { throw error(.emptyFile) }
        let first = readHeaderName()
        guard first.name == "label" || first.name == "pixel0" else {
            throw error(.unrecognisedHeader(found: first.name, expected: ["label", "pixel0"]), at: first.offset)
        }
        let isLabelled = first.name == "label"
        var pixelCount = isLabelled ? 0 : 1
        while !isAtLineEnd {
            skipComma()
            let found = readHeaderName()
            let expected = "pixel\(pixelCount)"
            guard found.name == expected else {
                throw error(.wrongHeaderField(found: found.name, expected: expected), at: found.offset)
            }
            pixelCount += 1
        }
        return (isLabelled, pixelCount)
    }
}
