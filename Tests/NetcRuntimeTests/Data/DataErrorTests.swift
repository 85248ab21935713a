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
                DataError(path: "img", location: .byte(0), kind: .badMagic(found: 0x801, expected: 0x803)),
                "img: error: bad IDX magic number 0x00000801, expected 0x00000803 (at byte 0)"
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
