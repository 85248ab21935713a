import NetcGraph
import Testing

@testable import NetcRuntime

/// The model the good files fit: 2×3 greyscale images in 10 classes.
private let twoByThree = DataExpectation.model(height: 2, width: 3)

/// An IDX file built by hand: the 4-byte big-endian magic, each dimension as a big-endian UInt32, the data.
private func idx(magic: UInt32, dimensions: [UInt32], data: [UInt8]) -> [UInt8] {
    let bigEndian = { (word: UInt32) in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> $0) } }
    return bigEndian(magic) + dimensions.flatMap(bigEndian) + data
}

/// Two 2×3 images and their labels.
private let goodImages = idx(
    magic: 0x0803, dimensions: [2, 2, 3], data: [0, 1, 2, 3, 4, 5, 255, 254, 253, 252, 251, 250])
private let goodLabels = idx(magic: 0x0801, dimensions: [2], data: [4, 9])

@Suite("MNIST IDX loading")
struct IDXTests {
    @Test("big-endian headers and pixel data load exactly")
    func goodFiles() throws {
        #expect(goodImages.prefix(8) == [0, 0, 8, 3, 0, 0, 0, 2])
        let fixtures = try FixtureDirectory()
        let dataset = try Dataset.loadIDX(
            images: fixtures.write("images-idx3-ubyte", bytes: goodImages),
            labels: fixtures.write("labels-idx1-ubyte", bytes: goodLabels), expecting: twoByThree)
        #expect(dataset.shape == ImageShape(channels: 1, height: 2, width: 3))
        #expect(dataset.pixels == .uint8([0, 1, 2, 3, 4, 5, 255, 254, 253, 252, 251, 250]))
        #expect(dataset.labels == [4, 9])

        let unlabelled = try Dataset.loadIDX(
            images: fixtures.write("only-images", bytes: goodImages), labels: nil, expecting: twoByThree)
        #expect(unlabelled.labels == nil)
        #expect(unlabelled.count == 2)
    }

    @Test(
        "malformed image files are rejected at the exact byte",
        arguments: [
            (goodLabels, 0, DataError.Kind.badMagic(found: 0x0801, expected: [0x0803, 0x0804])),
            (idx(magic: 0x0D03, dimensions: [2, 2, 3], data: []), 2, .unsupportedIDXType(found: 0x0D)),
            (Array(goodImages.prefix(6)), 6, .truncatedIDXHeader(found: 6, expected: 16)),
            (Array(goodImages.dropLast()), 27, .wrongIDXSize(found: 27, expected: 28, dimensions: [2, 2, 3])),
            (goodImages + [7], 28, .wrongIDXSize(found: 29, expected: 28, dimensions: [2, 2, 3])),
            (idx(magic: 0x0803, dimensions: [2, 0, 3], data: []), 8, .zeroImageDimension(dimensions: [2, 0, 3])),
            // No images of 2^32-1 × 2^32-1 pixels: computing their pixel count used to trap on overflow.
            (
                idx(magic: 0x0803, dimensions: [0, 0xFFFF_FFFF, 0xFFFF_FFFF], data: []), 8,
                .imageTooLarge(dimensions: [0, 0xFFFF_FFFF, 0xFFFF_FFFF], limit: 1 << 24)
            ),
            (
                idx(magic: 0x0803, dimensions: [0xFFFF_FFFF, 2, 3], data: []), 16,
                .wrongIDXSize(found: 16, expected: 16 + 6 * 0xFFFF_FFFF, dimensions: [0xFFFF_FFFF, 2, 3])
            ),
        ] as [([UInt8], Int, DataError.Kind)])
    func badImages(bytes: [UInt8], offset: Int, kind: DataError.Kind) throws {
        let fixtures = try FixtureDirectory()
        let path = try fixtures.write("images", bytes: bytes)
        let error = try #require(throws: DataError.self) {
            try Dataset.loadIDX(images: path, labels: nil, expecting: twoByThree)
        }
        #expect(error.path == path)
        #expect(error.location == .byte(offset))
        #expect(error.kind == kind)
    }

    @Test(
        "malformed label files are rejected where the problem is",
        arguments: [
            (goodImages, DataError.Location.byte(0), DataError.Kind.badMagic(found: 0x0803, expected: [0x0801])),
            (
                idx(magic: 0x0801, dimensions: [2], data: [4, 10]), .byte(9),
                .labelOutOfRange(found: 10, classes: 10, model: "model.swift-dsl")
            ),
        ] as [([UInt8], DataError.Location, DataError.Kind)])
    func badLabels(bytes: [UInt8], location: DataError.Location, kind: DataError.Kind) throws {
        let fixtures = try FixtureDirectory()
        let imagesPath = try fixtures.write("images", bytes: goodImages)
        let labelsPath = try fixtures.write("labels", bytes: bytes)
        let error = try #require(throws: DataError.self) {
            try Dataset.loadIDX(images: imagesPath, labels: labelsPath, expecting: twoByThree)
        }
        #expect(error.path == labelsPath)
        #expect(error.location == location)
        #expect(error.kind == kind)
    }

    @Test("label and image counts must agree")
    func countMismatch() throws {
        let fixtures = try FixtureDirectory()
        let imagesPath = try fixtures.write("images", bytes: goodImages)
        let labelsPath = try fixtures.write("labels", bytes: idx(magic: 0x0801, dimensions: [3], data: [4, 9, 1]))
        let error = try #require(throws: DataError.self) {
            try Dataset.loadIDX(images: imagesPath, labels: labelsPath, expecting: twoByThree)
        }
        #expect(error.path == labelsPath)
        #expect(error.location == .file)
        #expect(error.kind == .countMismatch(count: 3, otherCount: 2, otherPath: imagesPath))
    }

    @Test("four dimensions are count, channels, rows, columns")
    func channels() throws {
        let rgb = idx(magic: 0x0804, dimensions: [1, 3, 1, 2], data: [10, 11, 20, 21, 30, 31])
        let data = try Dataset.parseIDX(
            images: LocatedBytes(rgb, path: "rgb-images-idx4-ubyte"), labels: nil,
            expecting: .model(channels: 3, height: 1, width: 2))
        #expect(data.shape == ImageShape(channels: 3, height: 1, width: 2))
        #expect(data.pixels == .uint8([10, 11, 20, 21, 30, 31]))
    }

    @Test("images of another shape than the model's name both shapes and the model")
    func shapeMismatch() throws {
        let error = try #require(throws: DataError.self) {
            try Dataset.parseIDX(
                images: LocatedBytes(goodImages, path: "x-images-idx3-ubyte"), labels: nil,
                expecting: .model(channels: 3, height: 2, width: 3))
        }
        #expect(
            error.description
                == "x-images-idx3-ubyte: error: model.swift-dsl expects 3×2×3 images (channels×height×width), this "
                + "file holds 1×2×3")
    }

    @Test("a label beyond the model's classes is located at its byte")
    func labelBeyondClasses() throws {
        let error = try #require(throws: DataError.self) {
            try Dataset.parseIDX(
                images: LocatedBytes(goodImages, path: "images"), labels: LocatedBytes(goodLabels, path: "labels"),
                expecting: .model(height: 2, width: 3, classes: 7))
        }
        #expect(error.path == "labels")
        #expect(error.location == .byte(9))
        #expect(error.kind == .labelOutOfRange(found: 9, classes: 7, model: "model.swift-dsl"))
    }
}
