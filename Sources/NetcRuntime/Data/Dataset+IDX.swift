extension Dataset {
    /// Loads MNIST's original IDX files: `*-images-idx3-ubyte` and, optionally, `*-labels-idx1-ubyte`.
    ///
    /// An images file starts with the big-endian magic `0x00000803` and the dimensions count, rows, columns;
    /// a labels file with `0x00000801` and the count. The files must be exactly as long as their headers
    /// say, labels must be 0-9, and the two counts must agree.
    /// - Throws: ``DataError`` naming the file and the byte offset of the first problem.
    public static func loadIDX(images imagesPath: String, labels labelsPath: String?) throws(DataError) -> Dataset {
        let images = (bytes: try readFileBytes(at: imagesPath), path: imagesPath)
        var labels: (bytes: [UInt8], path: String)?
        if let labelsPath { labels = (try readFileBytes(at: labelsPath), labelsPath) }
        return try parseIDX(images: images, labels: labels)
    }

    /// Parses IDX images and optional labels already in memory, as ``loadIDX(images:labels:)`` does; each
    /// `path` names its file in errors.
    static func parseIDX(
        images imagesFile: (bytes: [UInt8], path: String), labels labelsFile: (bytes: [UInt8], path: String)?
    ) throws(DataError) -> Dataset {
        let imagesPath = imagesFile.path
        let images = try IDXFile(imagesFile.bytes, path: imagesPath, magic: IDXFile.imagesMagic)
        let dimensions = images.dimensions
        guard dimensions[1] > 0 && dimensions[2] > 0 else {
            throw DataError(path: imagesPath, location: .byte(8), kind: .zeroImageDimension(dimensions: dimensions))
        }
        let pixels = dimensions[1].multipliedReportingOverflow(by: dimensions[2])
        guard !pixels.overflow && pixels.partialValue <= IDXFile.largestImage else {
            throw DataError(
                path: imagesPath, location: .byte(8),
                kind: .imageTooLarge(dimensions: dimensions, limit: IDXFile.largestImage))
        }
        let shape = ImageSize(height: dimensions[1], width: dimensions[2])
        guard let (labelBytes, labelsPath) = labelsFile else {
            return Dataset(imageSize: shape, images: images.payload, labels: nil)
        }

        let labels = try IDXFile(labelBytes, path: labelsPath, magic: IDXFile.labelsMagic)
        guard labels.dimensions[0] == dimensions[0] else {
            throw DataError(
                path: labelsPath, location: .file,
                kind: .countMismatch(count: labels.dimensions[0], otherCount: dimensions[0], otherPath: imagesPath))
        }
        if let badIndex = labels.payload.firstIndex(where: { $0 > 9 }) {
            throw DataError(
                path: labelsPath, location: .byte(labels.headerSize + badIndex),
                kind: .valueOutOfRange(field: "label", found: String(labels.payload[badIndex]), allowed: 0...9))
        }
        return Dataset(imageSize: shape, images: images.payload, labels: labels.payload)
    }
}

/// One IDX file of unsigned bytes, checked against its header: magic, dimensions, then exactly the data.
private struct IDXFile {
    /// Unsigned bytes in 3 dimensions (count, rows, columns).
    static let imagesMagic: UInt32 = 0x0000_0803
    /// Unsigned bytes in 1 dimension (count).
    static let labelsMagic: UInt32 = 0x0000_0801
    /// The most pixels an image may have, 4096×4096; far beyond any dataset netc trains on, it keeps a
    /// corrupt header from describing images whose size overflows.
    static let largestImage = 1 << 24

    /// The sizes from the header, outermost first.
    let dimensions: [Int]
    /// The bytes after the header.
    let payload: [UInt8]
    /// Bytes taken by the magic number and the dimensions.
    let headerSize: Int

    /// Checks the contents `bytes` of the file at `path`, which must carry `magic`; its low byte is the
    /// number of dimensions.
    init(_ bytes: [UInt8], path: String, magic: UInt32) throws(DataError) {
        let dimensionCount = Int(magic & 0xFF)
        headerSize = 4 * (1 + dimensionCount)
        let bigEndianWord = { (offset: Int) in
            bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        if bytes.count >= 4, case let foundMagic = bigEndianWord(0), foundMagic != magic {
            throw DataError(path: path, location: .byte(0), kind: .badMagic(found: foundMagic, expected: magic))
        }
        guard bytes.count >= headerSize else {
            throw DataError(
                path: path, location: .byte(bytes.count),
                kind: .truncatedIDXHeader(found: bytes.count, expected: headerSize))
        }
        dimensions = (1...dimensionCount).map { Int(bigEndianWord(4 * $0)) }

        let (payloadSize, overflow) = dimensions.reduce((1, false)) { product, dimension in
            let next = product.0.multipliedReportingOverflow(by: dimension)
            return (next.partialValue, product.1 || next.overflow)
        }
        let expectedSize = overflow || payloadSize > Int.max - headerSize ? Int.max : headerSize + payloadSize
        guard bytes.count == expectedSize else {
            throw DataError(
                path: path, location: .byte(min(bytes.count, expectedSize)),
                kind: .wrongIDXSize(found: bytes.count, expected: expectedSize, dimensions: dimensions))
        }
        payload = Array(bytes[headerSize...])
    }
}
