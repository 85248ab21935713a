extension Dataset {
    /// Loads a labels CSV in Kaggle's submission format, `ImageId,Label`, as used for `test_labels.csv`.
    ///
    /// The header must be exactly `ImageId,Label`; row `n` must have ImageId `n` (counting from 1) and a
    /// label that is one of the expected model's classes. Line endings and the final newline are handled as in
    /// ``loadKaggleCSV(_:expecting:)``. Attach the result to unlabelled images with
    /// ``labelled(by:from:imagesPath:)``.
    /// - Returns: the labels in ImageId order.
    /// - Throws: ``DataError`` naming the file, line and column of the first problem.
    public static func loadLabelsCSV(
        _ path: String, expecting expectation: DataExpectation
    ) throws(DataError)
        -> [Int]
    {
        try parseLabelsCSV(readFileBytes(at: path), path: path, expecting: expectation)
    }

    /// Parses the bytes of a labels CSV already in memory, as ``loadLabelsCSV(_:expecting:)`` does; `path`
    /// names the file in errors.
    static func parseLabelsCSV(
        _ bytes: [UInt8], path: String, expecting expectation: DataExpectation
    )
        throws(DataError) -> [Int]
    {
        try bytes.withUnsafeBufferPointer { (buffer) throws(DataError) in
            var scanner = CSVScanner(path: path, bytes: buffer)
            return try parseLabelsCSV(&scanner, expecting: expectation)
        }
    }

    /// Parses a whole labels CSV from the scanner's start.
    private static func parseLabelsCSV(
        _ scanner: inout CSVScanner, expecting expectation: DataExpectation
    )
        throws(DataError) -> [Int]
    {
        let header = ["ImageId", "Label"]
        _ = try scanner.readHeader(oneOf: [header])

        var labels: [Int] = []
        while !scanner.isAtEnd {
            guard !scanner.isAtLineEnd else { throw scanner.error(.blankLine(expectedFields: header.count)) }
            let idStart = scanner.offset
            let imageId = try scanner.readField(0, of: 2, allowed: 0...Int.max, name: { header[$0] })
            guard imageId == labels.count + 1 else {
                throw scanner.error(.wrongImageId(found: imageId, expected: labels.count + 1), at: idStart)
            }
            labels.append(try scanner.readLabel(1, of: 2, expecting: expectation, name: { header[$0] }))
            scanner.skipLineEnd()
        }
        guard !labels.isEmpty else { throw scanner.error(.noRows) }
        return labels
    }
}
