import NetcGraph
import Testing

@testable import NetcRuntime

/// 2×2 images keep the fixtures readable: rows are `label,pixel0,pixel1,pixel2,pixel3`.
private let tinyShape = ImageShape(channels: 1, height: 2, width: 2)
/// A model of 2×2 greyscale images and 10 classes.
private let tiny = DataExpectation(shape: tinyShape, classes: 10, model: "tiny.swift-dsl")
private let labelledHeader = "label,pixel0,pixel1,pixel2,pixel3\n"
private let unlabelledHeader = "pixel0,pixel1,pixel2,pixel3\n"

@Suite("Kaggle CSV loading")
struct KaggleCSVTests {
    @Test(
        "labelled rows load exactly, whatever the line endings",
        arguments: [
            "label,pixel0,pixel1,pixel2,pixel3\n7,0,255,12,3\n0,9,8,7,6\n",
            "label,pixel0,pixel1,pixel2,pixel3\n7,0,255,12,3\n0,9,8,7,6",
            "label,pixel0,pixel1,pixel2,pixel3\r\n7,0,255,12,3\r\n0,9,8,7,6\r\n",
            "label,pixel0,pixel1,pixel2,pixel3\r\n7,0,255,12,3\r\n0,9,8,7,6",
            "label,pixel0,pixel1,pixel2,pixel3\r\n7,0,255,12,3\r\n0,9,8,7,6\r",
        ])
    func labelledRows(text: String) throws {
        let fixtures = try FixtureDirectory()
        let dataset = try Dataset.loadKaggleCSV(fixtures.write("train.csv", text: text), expecting: tiny)
        #expect(dataset.shape == tinyShape)
        #expect(dataset.count == 2)
        #expect(dataset.pixels == .uint8([0, 255, 12, 3, 9, 8, 7, 6]))
        #expect(dataset.labels == [7, 0])
        #expect(dataset.values(ofImage: 1) == [9, 8, 7, 6])
    }

    @Test("a header starting with pixel0 means rows without labels")
    func unlabelledRows() throws {
        let fixtures = try FixtureDirectory()
        let path = try fixtures.write("test.csv", text: unlabelledHeader + "1,2,3,4\r\n250,0,0,5")
        let dataset = try Dataset.loadKaggleCSV(path, expecting: tiny)
        #expect(dataset.pixels == .uint8([1, 2, 3, 4, 250, 0, 0, 5]))
        #expect(dataset.labels == nil)
    }

    @Test("the model's shape decides the columns: C·H·W of them, channel after channel")
    func modelShape() throws {
        let shape = ImageShape(channels: 3, height: 2, width: 1)
        let header = "label," + (0..<6).map { "pixel\($0)" }.joined(separator: ",")
        // Red 10, 11; green 20, 21; blue 30, 31 for a 2×1 image.
        let text = header + "\n6,10,11,20,21,30,31\n"
        let dataset = try Dataset.parseKaggleCSV(
            Array(text.utf8), path: "rgb.csv",
            expecting: DataExpectation(shape: shape, classes: 7, model: "rgb.swift-dsl"))
        #expect(dataset.shape == shape)
        #expect(dataset.pixels == .uint8([10, 11, 20, 21, 30, 31]))
        #expect(dataset.labels == [6])
    }

    @Test("64 pixel columns for a 28×28 model name both shapes, not a column count")
    func wrongShape() throws {
        let text =
            "label," + (0..<64).map { "pixel\($0)" }.joined(separator: ",") + "\n1" + String(repeating: ",0", count: 64)
        let mnist = DataExpectation(
            shape: ImageShape(channels: 1, height: 28, width: 28), classes: 10, model: "m.swift-dsl")
        let error = try #require(throws: DataError.self) {
            try Dataset.parseKaggleCSV(Array(text.utf8), path: "digits8/train.csv", expecting: mnist)
        }
        #expect(error.location == .text(line: 1, column: 1))
        #expect(error.kind == .pixelColumnMismatch(found: 64, expected: mnist.shape, model: "m.swift-dsl"))
    }

    /// A malformed file, and the exact position and problem the loader must report.
    struct BadFile: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let line: Int
        let column: Int
        let kind: DataError.Kind
        var testDescription: String { name }
    }

    @Test(
        "malformed files are rejected at the exact line and column",
        arguments: [
            BadFile(name: "empty file", text: "", line: 1, column: 1, kind: .emptyFile),
            BadFile(
                name: "unknown first column", text: "lbl,pixel0,pixel1,pixel2,pixel3\n", line: 1, column: 1,
                kind: .unrecognisedHeader(found: "lbl", expected: ["label", "pixel0"])),
            BadFile(
                name: "misnamed column", text: "label,pixel0,pixel2,pixel2,pixel3\n1,0,0,0,0\n", line: 1, column: 14,
                kind: .wrongHeaderField(found: "pixel2", expected: "pixel1")),
            BadFile(
                name: "header too short", text: "label,pixel0,pixel1,pixel2\n1,0,0,0\n", line: 1, column: 1,
                kind: .pixelColumnMismatch(found: 3, expected: tinyShape, model: "tiny.swift-dsl")),
            BadFile(
                name: "header too long", text: "label,pixel0,pixel1,pixel2,pixel3,pixel4\n", line: 1, column: 1,
                kind: .pixelColumnMismatch(found: 5, expected: tinyShape, model: "tiny.swift-dsl")),
            BadFile(name: "header only", text: labelledHeader, line: 2, column: 1, kind: .noRows),
            BadFile(
                name: "row too short", text: labelledHeader + "1,0,0,0,0\n2,0,0,0\n", line: 3, column: 8,
                kind: .wrongFieldCount(found: 4, expected: 5)),
            BadFile(
                name: "row too long", text: labelledHeader + "2,0,0,0,0,0,0\n", line: 2, column: 10,
                kind: .wrongFieldCount(found: 7, expected: 5)),
            BadFile(
                name: "unlabelled row too short", text: unlabelledHeader + "0,0,0\n", line: 2, column: 6,
                kind: .wrongFieldCount(found: 3, expected: 4)),
            BadFile(
                name: "not a number", text: labelledHeader + "3,0,1x,0,0\n", line: 2, column: 5,
                kind: .notAnInteger(field: "pixel1", found: "1x")),
            BadFile(
                name: "empty field", text: labelledHeader + "3,0,,0,0\n", line: 2, column: 5,
                kind: .notAnInteger(field: "pixel1", found: "")),
            BadFile(
                name: "leading space", text: labelledHeader + "1, 0,0,0,0\n", line: 2, column: 3,
                kind: .notAnInteger(field: "pixel0", found: " 0")),
            BadFile(
                name: "pixel above 255", text: labelledHeader + "3,0,0,256,0\n", line: 2, column: 7,
                kind: .valueOutOfRange(field: "pixel2", found: "256", allowed: 0...255)),
            BadFile(
                name: "negative pixel", text: labelledHeader + "3,-1,0,0,0\n", line: 2, column: 3,
                kind: .valueOutOfRange(field: "pixel0", found: "-1", allowed: 0...255)),
            BadFile(
                name: "huge pixel", text: labelledHeader + "3,0,0,0,99999999999999999999999\n", line: 2,
                column: 9,
                kind: .valueOutOfRange(field: "pixel3", found: "99999999999999999999999", allowed: 0...255)),
            BadFile(
                name: "label above 9", text: labelledHeader + "1,0,0,0,0\n10,0,0,0,0\n", line: 3, column: 1,
                kind: .labelOutOfRange(found: 10, classes: 10, model: "tiny.swift-dsl")),
            BadFile(
                name: "negative label", text: labelledHeader + "-1,0,0,0,0\n", line: 2, column: 1,
                kind: .valueOutOfRange(field: "label", found: "-1", allowed: 0...Int.max)),
            BadFile(
                name: "blank line", text: labelledHeader + "1,0,0,0,0\n\n2,0,0,0,0\n", line: 3, column: 1,
                kind: .blankLine(expectedFields: 5)),
            BadFile(
                name: "bad last field with CRLF", text: "label,pixel0,pixel1,pixel2,pixel3\r\n1,0,0,0,x\r\n",
                line: 2, column: 9, kind: .notAnInteger(field: "pixel3", found: "x")),
            BadFile(
                name: "lone carriage return", text: labelledHeader + "1,0,0,0,0\r2,0,0,0,0\n", line: 2, column: 9,
                kind: .notAnInteger(field: "pixel3", found: "0\\r2")),
        ])
    func badFile(_ bad: BadFile) throws {
        let fixtures = try FixtureDirectory()
        let path = try fixtures.write("bad.csv", text: bad.text)
        let error = try #require(throws: DataError.self) { try Dataset.loadKaggleCSV(path, expecting: tiny) }
        #expect(error.path == path)
        #expect(error.line == bad.line)
        #expect(error.column == bad.column)
        #expect(error.kind == bad.kind)
        #expect(error.description.hasPrefix("\(path):\(bad.line):\(bad.column): error: "))
    }

    @Test("a header of a million columns is rejected at the first misnamed one, without reading the rest")
    func millionColumnHeader() throws {
        let header = labelledHeader.dropLast() + String(repeating: ",x", count: 1_000_000) + "\n"
        let error = try #require(throws: DataError.self) {
            try Dataset.parseKaggleCSV(Array(header.utf8), path: "wide.csv", expecting: tiny)
        }
        #expect(error.location == .text(line: 1, column: 35))
        #expect(error.kind == .wrongHeaderField(found: "x", expected: "pixel4"))
    }

    @Test("a missing file is reported with the system's reason")
    func missingFile() throws {
        let fixtures = try FixtureDirectory()
        let path = fixtures.path + "/absent.csv"
        let error = try #require(throws: DataError.self) { try Dataset.loadKaggleCSV(path, expecting: tiny) }
        #expect(error.description == "\(path): error: cannot read the file: No such file or directory")
    }

    @Test("a directory is not a data file")
    func directory() throws {
        let fixtures = try FixtureDirectory()
        let error = try #require(throws: DataError.self) { try Dataset.loadKaggleCSV(fixtures.path, expecting: tiny) }
        #expect(error.kind == .unreadable(reason: "not a regular file"))
    }
}
