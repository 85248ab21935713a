import Testing

@testable import NetcRuntime

@Suite("Labels CSV loading")
struct LabelsCSVTests {
    @Test(
        "labels load in ImageId order, whatever the line endings",
        arguments: [
            "ImageId,Label\n1,3\n2,9\n3,0\n", "ImageId,Label\r\n1,3\r\n2,9\r\n3,0", "ImageId,Label\n1,3\n2,9\n3,0",
        ])
    func goodLabels(text: String) throws {
        let fixtures = try FixtureDirectory()
        #expect(try Dataset.loadLabelsCSV(fixtures.write("labels.csv", text: text), expecting: .mnist) == [3, 9, 0])
    }

    @Test(
        "malformed labels are rejected at the exact line and column",
        arguments: [
            ("", 1, 1, DataError.Kind.emptyFile),
            ("Id,Label\n1,3\n", 1, 1, .unrecognisedHeader(found: "Id", expected: ["ImageId"])),
            ("ImageId,Labels\n1,3\n", 1, 9, .wrongHeaderField(found: "Labels", expected: "Label")),
            ("ImageId\n1\n", 1, 8, .wrongHeaderFieldCount(found: 1, expected: 2)),
            ("ImageId,Label\n", 2, 1, .noRows),
            ("ImageId,Label\n1,3\n3,4\n", 3, 1, .wrongImageId(found: 3, expected: 2)),
            ("ImageId,Label\n0,3\n", 2, 1, .wrongImageId(found: 0, expected: 1)),
            ("ImageId,Label\n1,10\n", 2, 3, .labelOutOfRange(found: 10, classes: 10, model: "mnist-cnn.swift-dsl")),
            ("ImageId,Label\n-1,3\n", 2, 1, .valueOutOfRange(field: "ImageId", found: "-1", allowed: 0...Int.max)),
            ("ImageId,Label\n1,3,4\n", 2, 4, .wrongFieldCount(found: 3, expected: 2)),
            ("ImageId,Label\n1\n", 2, 2, .wrongFieldCount(found: 1, expected: 2)),
            ("ImageId,Label\n1,seven\n", 2, 3, .notAnInteger(field: "Label", found: "seven")),
        ] as [(String, Int, Int, DataError.Kind)])
    func badLabels(text: String, line: Int, column: Int, kind: DataError.Kind) throws {
        let fixtures = try FixtureDirectory()
        let path = try fixtures.write("labels.csv", text: text)
        let error = try #require(throws: DataError.self) { try Dataset.loadLabelsCSV(path, expecting: .mnist) }
        #expect(error.location == .text(line: line, column: column))
        #expect(error.kind == kind)
    }

    @Test("labels attach to unlabelled images one to one")
    func attachLabels() throws {
        let fixtures = try FixtureDirectory()
        let model = DataExpectation.model(height: 1, width: 2)
        let images = try Dataset.loadKaggleCSV(
            fixtures.write("test.csv", text: "pixel0,pixel1\n1,2\n3,4\n"), expecting: model)
        let labelsPath = try fixtures.write("labels.csv", text: "ImageId,Label\n1,8\n2,5\n")
        let labelled = try images.labelled(
            by: Dataset.loadLabelsCSV(labelsPath, expecting: model), from: labelsPath, imagesPath: "test.csv")
        #expect(labelled.labels == [8, 5])
        #expect(labelled.pixels == .uint8([1, 2, 3, 4]))

        let error = try #require(throws: DataError.self) {
            try images.labelled(by: [1, 2, 3], from: labelsPath, imagesPath: "test.csv")
        }
        #expect(
            error.description
                == "\(labelsPath): error: holds 3 entries, but 'test.csv' holds 2; they must match one to one")
    }
}
