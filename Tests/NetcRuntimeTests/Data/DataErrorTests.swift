import NetcGraph
import NetcRuntime
import Testing

@Suite("Data error wording")
struct DataErrorTests {
    @Test(
        "descriptions read like compiler diagnostics",
        arguments: [
            (
                DataError(
                    path: "train.csv", location: .text(line: 3, column: 5),
                    kind: .notAnInteger(field: "pixel1", found: "1x")),
                "train.csv:3:5: error: pixel1 is '1x', expected a non-negative integer"
            ),
            (
                DataError(
                    path: "train.csv", location: .text(line: 2, column: 7),
                    kind: .valueOutOfRange(field: "pixel2", found: "256", allowed: 0...255)),
                "train.csv:2:7: error: pixel2 is 256, expected 0-255"
            ),
            (
                DataError(
                    path: "t.csv", location: .text(line: 1, column: 1),
                    kind: .unrecognisedHeader(found: "lbl", expected: ["label", "pixel0"])),
                "t.csv:1:1: error: unrecognised header starting with 'lbl'; expected a first column of 'label' or 'pixel0'"
            ),
            (
                DataError(
                    path: "t.csv", location: .text(line: 4, column: 2), kind: .wrongFieldCount(found: 3, expected: 785)),
                "t.csv:4:2: error: row has 3 fields, expected 785"
            ),
            (
                DataError(path: "img", location: .byte(0), kind: .badMagic(found: 0x801, expected: [0x803, 0x804])),
                "img: error: bad IDX magic number 0x00000801, expected 0x00000803 or 0x00000804 (at byte 0)"
            ),
            (
                DataError(
                    path: "img.gz", location: .byteIn(2, part: "the decompressed data"),
                    kind: .unsupportedIDXType(found: 0x0D)),
                "img.gz: error: IDX data type 0x0d is not supported; netc reads unsigned bytes (0x08) (at byte 2 of the "
                    + "decompressed data)"
            ),
            (
                DataError(
                    path: "data/x.npz", location: .file,
                    kind: .shapeMismatch(
                        found: ImageShape(channels: 1, height: 28, width: 28),
                        expected: ImageShape(channels: 3, height: 32, width: 32), model: "m.swift-dsl")),
                "data/x.npz: error: m.swift-dsl expects 3×32×32 images (channels×height×width), this file holds 1×28×28"
            ),
            (
                DataError(
                    path: "d/train.csv", location: .text(line: 1, column: 1),
                    kind: .pixelColumnMismatch(
                        found: 64, expected: ImageShape(channels: 1, height: 28, width: 28), model: "m.swift-dsl")),
                "d/train.csv:1:1: error: the header has 64 pixel columns, but m.swift-dsl expects 1×28×28 images "
                    + "(channels×height×width): 784 columns pixel0...pixel783, channel by channel"
            ),
            (
                DataError(
                    path: "train.csv", location: .text(line: 5, column: 1),
                    kind: .labelOutOfRange(found: 7, classes: 7, model: "m.swift-dsl")),
                "train.csv:5:1: error: label 7 is not a class of m.swift-dsl, which has 7 (labels 0-6)"
            ),
            (
                DataError(
                    path: "img", location: .byte(27),
                    kind: .wrongIDXSize(found: 27, expected: 28, dimensions: [2, 2, 3])),
                "img: error: file is 27 bytes, but its header (dimensions 2x2x3) needs exactly 28 (at byte 27)"
            ),
            (
                DataError(path: "x", location: .file, kind: .unreadable(reason: "Permission denied")),
                "x: error: cannot read the file: Permission denied"
            ),
        ])
    func description(error: DataError, expected: String) {
        #expect(error.description == expected)
    }
}
