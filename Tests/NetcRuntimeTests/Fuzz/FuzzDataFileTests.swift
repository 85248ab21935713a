import Testing

@testable import NetcRuntime

/// Thousands of seeded random corruptions of small valid CSV and IDX files: each must load or be rejected
/// with a `DataError` that points into the file, never crash. `tools/fuzz` runs the same checks for longer.
@Suite struct FuzzDataFileTests {
    static let iterations = 3000
    /// 2×2 images keep the headers short, so most edits reach the rows.
    static let model = DataExpectation.model(height: 2, width: 2)

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
    /// Whether the problem is one of a whole file: its count or shape disagrees with another's.
    fileprivate var isWholeFile: Bool {
        switch self {
        case .countMismatch, .shapeMismatch: true
        default: false
        }
    }
}
