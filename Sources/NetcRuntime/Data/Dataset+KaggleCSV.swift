extension Dataset {
    /// Loads a Kaggle "Digit Recognizer" CSV: `train.csv` (`label,pixel0,...`) or `test.csv` (`pixel0,...`).
    ///
    /// The header decides whether rows carry a label: `label` first means labelled, `pixel0` first means
    /// unlabelled, and the rest must be exactly `pixel0` ... `pixel{N-1}` for the `imageSize.pixelCount`
    /// pixels. Every row must hold that many fields, each a decimal integer, pixels 0-255 and labels 0-9.
    /// Lines may end in `\n` or `\r\n`, and the final newline may be missing. The file is read as bytes and
    /// parsed in one pass, so MNIST's 110 MB `train.csv` loads in a fraction of a second in a release build.
    /// - Throws: ``DataError`` naming the file, line and column of the first problem.
    public static func loadKaggleCSV(_ path: String, imageSize: ImageSize = .mnist) throws(DataError) -> Dataset {
        try parseKaggleCSV(readFileBytes(at: path), path: path, imageSize: imageSize)
    }

    /// Parses the bytes of a Kaggle CSV already in memory, as ``loadKaggleCSV(_:imageSize:)`` does; `path`
    /// names the file in errors.
    static func parseKaggleCSV(_ bytes: [UInt8], path: String, imageSize: ImageSize) throws(DataError) -> Dataset {
        try bytes.withUnsafeBufferPointer { (buffer) throws(DataError) in
            var scanner = CSVScanner(path: path, bytes: buffer)
            return try parseKaggleCSV(&scanner, imageSize: imageSize)
        }
    }

    /// Parses a whole Kaggle CSV from the scanner's start.
    private static func parseKaggleCSV(_ scanner: inout CSVScanner, imageSize: ImageSize) throws(DataError) -> Dataset {
        let pixelCount = imageSize.pixelCount
        let pixelNames = (0..<pixelCount).map { "pixel\($0)" }
        let isLabelled = try scanner.readHeader(oneOf: [["label"] + pixelNames, pixelNames]) == 0
        let fieldCount = pixelCount + (isLabelled ? 1 : 0)
        let firstPixelField = isLabelled ? 1 : 0
        let name = { (index: Int) in index < firstPixelField ? "label" : "pixel\(index - firstPixelField)" }

        // Every row takes at least one digit and one separator per field, which bounds the row count by the
        // file's size without a counting pass, and keeps a file of blank lines from asking for huge buffers.
        let rowCapacity = scanner.bytes.count / (2 * fieldCount - 1) + 1
        var images = [UInt8](repeating: 0, count: rowCapacity * pixelCount)
        var labels = [UInt8](repeating: 0, count: isLabelled ? rowCapacity : 0)
        var rowCount = 0
        try images.withUnsafeMutableBufferPointer { (images) throws(DataError) in
            try labels.withUnsafeMutableBufferPointer { (labels) throws(DataError) in
                while !scanner.isAtEnd {
                    guard !scanner.isAtLineEnd else { throw scanner.error(.blankLine(expectedFields: fieldCount)) }
                    precondition(rowCount < rowCapacity, "the row capacity bound is wrong")
                    if isLabelled {
                        labels[rowCount] = UInt8(try scanner.readField(0, of: fieldCount, allowed: 0...9, name: name))
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
        return Dataset(imageSize: imageSize, images: images, labels: isLabelled ? labels : nil)
    }
}
