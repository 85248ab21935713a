import Foundation
import NetcGraph

extension Dataset {
    /// Loads NumPy arrays saved by `np.savez(path, x=images, y=labels)` or `np.savez_compressed`: the
    /// archive's `x.npy` and, when present, `y.npy`.
    ///
    /// See ``parseNumPy(x:y:expecting:)`` for what the arrays must be.
    /// - Throws: ``DataError`` naming the file and the byte offset of the first problem (in the member named).
    public static func loadNPZ(_ path: String, expecting expectation: DataExpectation) throws(DataError) -> Dataset {
        try parseNPZ(LocatedBytes(readFileBytes(at: path), path: path), expecting: expectation)
    }

    /// Parses an `.npz` archive already in memory, as ``loadNPZ(_:expecting:)`` does.
    static func parseNPZ(_ file: LocatedBytes, expecting expectation: DataExpectation) throws(DataError) -> Dataset {
        let archive = try ZipArchive(file)
        guard let x = archive.member(named: "x.npy") else {
            throw DataError(
                path: file.path, location: .file,
                kind: .missingArray(name: "x", found: archive.members.map { String($0.name.dropLast(4)) }))
        }
        let y = try archive.member(named: "y.npy").map { (member) throws(DataError) in try archive.contents(of: member)
        }
        return try parseNumPy(x: archive.contents(of: x), y: y, expecting: expectation)
    }

    /// Loads `x.npy` and, when present, `y.npy` from `folder` (as `np.save` writes them).
    public static func loadNPYFolder(
        _ folder: String, expecting expectation: DataExpectation
    ) throws(DataError) -> Dataset {
        let (xPath, yPath) = ("\(folder)/x.npy", "\(folder)/y.npy")
        let y =
            FileManager.default.fileExists(atPath: yPath)
            ? LocatedBytes(try readFileBytes(at: yPath), path: yPath) : nil
        return try parseNumPy(x: LocatedBytes(readFileBytes(at: xPath), path: xPath), y: y, expecting: expectation)
    }

    /// Reads images from the `.npy` array `x` and labels from `y`.
    ///
    /// `x` is uint8 (0-255) or float32 (taken as they are, and finite), shaped [N, H, W] (one channel) or
    /// [N, C, H, W], in C order, images of the expected shape; `y` is of any integer dtype, shaped [N], each
    /// label one of the expected classes. Both byte orders are read.
    static func parseNumPy(
        x: LocatedBytes, y: LocatedBytes?, expecting expectation: DataExpectation
    )
        throws(DataError) -> Dataset
    {
        let images = try NPYArray(x, name: "x")
        guard images.type.kind == "u" && images.type.size == 1 || images.type.kind == "f" && images.type.size == 4
        else {
            throw x.error(
                .unsupportedDType(
                    array: "x", found: images.header.descr, expected: "x as uint8 or float32 (x.astype(np.float32))"),
                at: images.header.textOffset)
        }
        let shape = try imageShape(of: images, expecting: expectation)
        let pixels: PixelValues =
            images.type.kind == "u" ? .uint8(Array(images.data)) : .float32(try images.finiteFloats())
        guard let y else { return Dataset(shape: shape, pixels: pixels, labels: nil) }

        let labels = try NPYArray(y, name: "y")
        guard "iu".contains(labels.type.kind), [1, 2, 4, 8].contains(labels.type.size) else {
            throw y.error(
                .unsupportedDType(
                    array: "y", found: labels.header.descr, expected: "y as an integer type (int64, uint8, ...)"),
                at: labels.header.textOffset)
        }
        guard labels.header.shape.count == 1 else {
            throw y.error(
                .wrongArrayRank(array: "y", shape: labels.header.shape, expected: "[N], one label per image"),
                at: labels.header.textOffset)
        }
        guard labels.header.shape[0] == images.header.shape[0] else {
            throw y.error(
                .arrayCountMismatch(images: images.header.shape[0], labels: labels.header.shape[0]),
                at: labels.header.textOffset)
        }
        return Dataset(shape: shape, pixels: pixels, labels: try labels.labels(expecting: expectation))
    }

    /// The shape of the images of `x`, checked: [N, H, W] or [N, C, H, W], at least one image, of the expected
    /// shape.
    private static func imageShape(
        of x: NPYArray, expecting expectation: DataExpectation
    ) throws(DataError) -> ImageShape {
        let dimensions = x.header.shape
        guard dimensions.count == 3 || dimensions.count == 4 else {
            var expected = "[N, H, W] or [N, C, H, W]"
            let size = expectation.shape
            if dimensions.count == 2, dimensions[1] == size.elementCount {
                expected += "; reshape it: x.reshape(-1, \(size.channels), \(size.height), \(size.width))"
            }
            throw x.contents.error(
                .wrongArrayRank(array: "x", shape: dimensions, expected: expected), at: x.header.textOffset)
        }
        guard dimensions[0] > 0 else { throw x.contents.error(.noImages, at: x.header.textOffset) }
        guard !dimensions.dropFirst().contains(0) else {
            throw x.contents.error(.zeroImageDimension(dimensions: dimensions), at: x.header.textOffset)
        }
        let shape = ImageShape(
            channels: dimensions.count == 4 ? dimensions[1] : 1, height: dimensions[dimensions.count - 2],
            width: dimensions[dimensions.count - 1])
        try expectation.check(shape: shape, path: x.contents.path)
        return shape
    }
}
