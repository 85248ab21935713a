import Foundation
import Testing

@testable import NetcRuntime

/// Thousands of seeded random corruptions of small valid CSV, IDX and gzip files: each must load or be rejected
/// with a `DataError` that points into the file, never crash. `tools/fuzz` runs the same checks for longer.
@Suite struct FuzzDataFileTests {
    static let iterations = 3000
    /// 2×2 images keep the headers short, so most edits reach the rows.
    static let model = DataExpectation.model(height: 2, width: 2)
    /// The colour fixtures' model: 3×2×3 images in 7 classes.
    static let colour = DataExpectation.model(channels: 3, height: 2, width: 3, classes: 7)
    /// `Tests/Fixtures/numpy`, files written by NumPy.
    static let numPyFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/numpy").path

    static let kaggleSeeds = [
        "label,pixel0,pixel1,pixel2,pixel3\n1,0,255,3,4\n9,10,20,30,40\n",
        "pixel0,pixel1,pixel2,pixel3\r\n0,255,3,4\r\n10,20,30,40",
    ]

    @Test(arguments: kaggleSeeds.indices)
    func corruptKaggleCSVIsLoadedOrRejectedWithAPosition(seedIndex: Int) {
        let seed = Array(Self.kaggleSeeds[seedIndex].utf8)
        var mutator = Mutator(seed: UInt64(seedIndex))
        for iteration in 0..<Self.iterations {
            let bytes = mutator.mutated(seed)
            do {
                let dataset = try Dataset.parseKaggleCSV(bytes, path: "train.csv", expecting: Self.model)
                #expect(dataset.count > 0, "seed \(seedIndex), iteration \(iteration)")
            } catch {
                expectPointsIntoText(error, of: bytes, "seed \(seedIndex), iteration \(iteration)")
            }
        }
    }

    @Test func corruptLabelsCSVIsLoadedOrRejectedWithAPosition() {
        let seed = Array("ImageId,Label\n1,3\n2,7\n3,0\n".utf8)
        var mutator = Mutator(seed: 7)
        for iteration in 0..<Self.iterations {
            let bytes = mutator.mutated(seed)
            do {
                let labels = try Dataset.parseLabelsCSV(bytes, path: "test_labels.csv", expecting: Self.model)
                #expect(!labels.isEmpty && labels.allSatisfy { (0...9).contains($0) }, "iteration \(iteration)")
            } catch {
                expectPointsIntoText(error, of: bytes, "iteration \(iteration)")
            }
        }
    }

    @Test func corruptIDXIsLoadedOrRejectedWithAByteOffset() {
        let images = bigEndianWords([0x803, 2, 2, 2]) + [0, 255, 3, 4, 10, 20, 30, 40]
        let labels = bigEndianWords([0x801, 2]) + [1, 9]
        var mutator = Mutator(seed: 11)
        for iteration in 0..<Self.iterations {
            let files = (images: mutator.mutated(images), labels: mutator.mutated(labels))
            do {
                let dataset = try Dataset.parseIDX(
                    images: LocatedBytes(files.images, path: "images-idx3-ubyte"),
                    labels: LocatedBytes(files.labels, path: "labels-idx1-ubyte"), expecting: Self.model)
                #expect(dataset.labels?.count == dataset.count, "iteration \(iteration)")
            } catch {
                let size = error.path == "images-idx3-ubyte" ? files.images.count : files.labels.count
                switch error.location {
                case .byte(let offset): #expect((0...size).contains(offset), "iteration \(iteration): \(error)")
                case .file: #expect(error.kind.isWholeFile, "iteration \(iteration): \(error)")
                case .text, .byteIn: Issue.record("iteration \(iteration): a plain IDX file's error: \(error)")
                }
            }
        }
    }

    @Test func corruptGzipIDXIsLoadedOrRejectedWithAByteOffset() throws {
        let images = try gzipped(bigEndianWords([0x803, 2, 2, 2]) + [0, 255, 3, 4, 10, 20, 30, 40])
        var mutator = Mutator(seed: 13)
        for iteration in 0..<Self.iterations {
            let bytes = mutator.mutated(images)
            do {
                let dataset = try Dataset.parseIDX(
                    images: decompressedIfGzip(LocatedBytes(bytes, path: "images.gz")), labels: nil,
                    expecting: Self.model)
                #expect(dataset.count >= 0, "iteration \(iteration)")
            } catch {
                switch error.location {
                case .byte(let offset): #expect((0...bytes.count).contains(offset), "iteration \(iteration): \(error)")
                case .byteIn(let offset, let part):
                    #expect(offset >= 0 && part == "the decompressed data", "iteration \(iteration): \(error)")
                case .file: #expect(error.kind.isWholeFile, "iteration \(iteration): \(error)")
                case .text: Issue.record("iteration \(iteration): a binary file's error has a line: \(error)")
                }
            }
        }
    }

    @Test(arguments: ["rgb-stored.npz", "rgb-compressed.npz"])
    func corruptNPZIsLoadedOrRejectedWithAByteOffset(name: String) throws {
        let seed = try Array(Data(contentsOf: URL(fileURLWithPath: "\(Self.numPyFixtures)/\(name)")))
        var mutator = Mutator(seed: 17)
        for iteration in 0..<Self.iterations {
            let bytes = mutator.mutated(seed)
            do {
                let dataset = try Dataset.parseNPZ(LocatedBytes(bytes, path: "data.npz"), expecting: Self.colour)
                #expect(dataset.count == 4, "iteration \(iteration)")
            } catch {
                expectBinaryLocation(error, size: bytes.count, "iteration \(iteration)")
            }
        }
    }

    @Test func corruptNPYIsLoadedOrRejectedWithAByteOffset() throws {
        let folder = "\(Self.numPyFixtures)/pair"
        let (x, y) = try (
            Array(Data(contentsOf: URL(fileURLWithPath: "\(folder)/x.npy"))),
            Array(Data(contentsOf: URL(fileURLWithPath: "\(folder)/y.npy")))
        )
        var mutator = Mutator(seed: 19)
        for iteration in 0..<Self.iterations {
            let files = (x: mutator.mutated(x), y: mutator.mutated(y))
            do {
                let dataset = try Dataset.parseNumPy(
                    x: LocatedBytes(files.x, path: "x.npy"), y: LocatedBytes(files.y, path: "y.npy"),
                    expecting: Self.model)
                #expect(dataset.labels?.count == dataset.count, "iteration \(iteration)")
            } catch {
                expectBinaryLocation(
                    error, size: error.path == "x.npy" ? files.x.count : files.y.count, "iteration \(iteration)")
            }
        }
    }

    /// Checks that a binary file's error points at a byte inside it (or of a part of it), or is about the file
    /// as a whole.
    private func expectBinaryLocation(_ error: DataError, size: Int, _ context: String) {
        switch error.location {
        case .byte(let offset): #expect((0...size).contains(offset), "\(context): \(error)")
        case .byteIn(let offset, _): #expect(offset >= 0, "\(context): \(error)")
        case .file: #expect(error.kind.isWholeFile, "\(context): \(error)")
        case .text: Issue.record("\(context): a binary file's error has a line: \(error)")
        }
    }

    /// Checks that a CSV error names a line and column inside `bytes`, or just past its last line ending.
    private func expectPointsIntoText(_ error: DataError, of bytes: [UInt8], _ context: String) {
        guard let line = error.line, let column = error.column else {
            Issue.record("\(context): no line and column in \(error)")
            return
        }
        let lineCount = bytes.count(where: { $0 == UInt8(ascii: "\n") }) + 2
        #expect((1...lineCount).contains(line) && (1...bytes.count + 1).contains(column), "\(context): \(error)")
    }
}

/// Big-endian 32-bit words, as in an IDX header.
private func bigEndianWords(_ words: [UInt32]) -> [UInt8] {
    words.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * (3 - $0))) } }
}

extension DataError.Kind {
    /// Whether the problem is one of a whole file: its count or shape disagrees with another's, or an array is
    /// missing from it.
    fileprivate var isWholeFile: Bool {
        switch self {
        case .countMismatch, .shapeMismatch, .missingArray: true
        default: false
        }
    }
}
