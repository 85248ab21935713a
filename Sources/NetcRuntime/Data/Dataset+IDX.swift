import NetcGraph

extension Dataset {
    /// Loads IDX files, the format of the original MNIST and Fashion-MNIST: `*-images-idx3-ubyte` and,
    /// optionally, `*-labels-idx1-ubyte`, each gzip-compressed (`.gz`) or not.
    ///
    /// An images file starts with the big-endian magic `0x00000803` and the dimensions count, rows, columns
    /// (one channel), or `0x00000804` and count, channels, rows, columns; a labels file with `0x00000801` and
    /// the count. Only unsigned bytes (data type `0x08`) are read. The files must be exactly as long as their
    /// headers say, the images of the shape `expectation` gives, the labels its classes, and the two counts
    /// must agree.
    /// - Throws: ``DataError`` naming the file and the byte offset of the first problem (in the decompressed
    ///   data for a gzip file).
    public static func loadIDX(
        images imagesPath: String, labels labelsPath: String?, expecting expectation: DataExpectation
    )
        throws(DataError) -> Dataset
    {
        let images = try readPossiblyCompressedFile(at: imagesPath)
        let labels = try labelsPath.map { (path) throws(DataError) in try readPossiblyCompressedFile(at: path) }
        return try parseIDX(images: images, labels: labels, expecting: expectation)
    }

    /// Parses IDX images and optional labels already in memory, as ``loadIDX(images:labels:expecting:)`` does.
    static func parseIDX(
        images imagesFile: LocatedBytes, labels labelsFile: LocatedBytes?, expecting expectation: DataExpectation
    )
        throws(DataError) -> Dataset
    {
        let images = try IDXFile(imagesFile, dimensionCounts: 3...4)
        let dimensions = images.dimensions
        let planeDimensions = Array(dimensions.dropFirst())
        guard !planeDimensions.contains(0) else {
            throw imagesFile.error(.zeroImageDimension(dimensions: dimensions), at: 8)
        }
        guard let values = checkedProduct(planeDimensions), values <= IDXFile.largestImage else {
            throw imagesFile.error(.imageTooLarge(dimensions: dimensions, limit: IDXFile.largestImage), at: 8)
        }
        let shape = ImageShape(
            channels: dimensions.count == 4 ? dimensions[1] : 1, height: dimensions[dimensions.count - 2],
            width: dimensions[dimensions.count - 1])
        try expectation.check(shape: shape, path: imagesFile.path)
        let payload = try images.payload()
        guard let labelsFile else { return Dataset(shape: shape, pixels: .uint8(payload), labels: nil) }

        let labels = try IDXFile(labelsFile, dimensionCounts: 1...1)
        guard labels.dimensions[0] == dimensions[0] else {
            throw DataError(
                path: labelsFile.path, location: .file,
                kind: .countMismatch(count: labels.dimensions[0], otherCount: dimensions[0], otherPath: imagesFile.path)
            )
        }
        let labelBytes = try labels.payload()
        for (index, label) in labelBytes.enumerated() {
            try expectation.check(
                label: Int(label), path: labelsFile.path, at: labelsFile.location(labels.headerSize + index))
        }
        return Dataset(shape: shape, pixels: .uint8(payload), labels: labelBytes.map(Int.init))
    }
}

/// One IDX file of unsigned bytes, its header checked: magic, data type and dimensions.
private struct IDXFile {
    /// The most values an image may have, 4096×4096; far beyond any dataset netc trains on, it keeps a
    /// corrupt header from describing images whose size overflows.
    static let largestImage = 1 << 24
    /// The IDX code of unsigned bytes, the magic number's third byte.
    static let unsignedBytes: UInt8 = 0x08

    /// The file.
    let contents: LocatedBytes
    /// The sizes from the header, outermost first.
    let dimensions: [Int]
    /// Bytes taken by the magic number and the dimensions.
    let headerSize: Int

    /// Checks the header of `contents`, which must hold unsigned bytes in one of `dimensionCounts` dimensions
    /// (the magic number's low byte).
    init(_ contents: LocatedBytes, dimensionCounts: ClosedRange<Int>) throws(DataError) {
        self.contents = contents
        let bytes = contents.bytes
        var dimensionCount = dimensionCounts.lowerBound
        if bytes.count >= 4 {
            let magic = contents.bigEndianWord(at: 0)
            guard bytes[0] == 0, bytes[1] == 0, dimensionCounts.contains(Int(bytes[3])) else {
                let expected = dimensionCounts.map { UInt32(Self.unsignedBytes) << 8 | UInt32($0) }
                throw contents.error(.badMagic(found: magic, expected: expected), at: 0)
            }
            guard bytes[2] == Self.unsignedBytes else {
                throw contents.error(.unsupportedIDXType(found: bytes[2]), at: 2)
            }
            dimensionCount = Int(bytes[3])
        }
        headerSize = 4 * (1 + dimensionCount)
        guard bytes.count >= headerSize else {
            throw contents.error(.truncatedIDXHeader(found: bytes.count, expected: headerSize), at: bytes.count)
        }
        dimensions = (1...dimensionCount).map { Int(contents.bigEndianWord(at: 4 * $0)) }
    }

    /// The bytes after the header, which must be exactly as many as the dimensions say.
    func payload() throws(DataError) -> [UInt8] {
        let bytes = contents.bytes
        let payloadSize = checkedProduct(dimensions) ?? Int.max
        let expectedSize = payloadSize > Int.max - headerSize ? Int.max : headerSize + payloadSize
        guard bytes.count == expectedSize else {
            throw contents.error(
                .wrongIDXSize(found: bytes.count, expected: expectedSize, dimensions: dimensions),
                at: min(bytes.count, expectedSize))
        }
        return Array(bytes[headerSize...])
    }
}
