import Foundation
import NetcGraph
import Testing

@testable import NetcRuntime

/// `Tests/Fixtures/numpy`, written by NumPy itself (`make-fixtures.py` there).
private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/numpy").path

/// The model the colour fixtures fit: 3×2×3 images in 7 classes.
private let colour = DataExpectation.model(channels: 3, height: 2, width: 3, classes: 7)

/// What `make-fixtures.py` puts in x of the colour fixtures: 4 images whose values count up.
private let colourValues = (0..<4 * 3 * 2 * 3).map { UInt8($0) }

@Suite("NumPy loading")
struct NumPyTests {
    @Test(
        "np.savez and np.savez_compressed archives load the same images and labels",
        arguments: ["rgb-stored.npz", "rgb-compressed.npz"])
    func archives(name: String) throws {
        let data = try Dataset.loadNPZ("\(fixtures)/\(name)", expecting: colour)
        #expect(data.shape == ImageShape(channels: 3, height: 2, width: 3))
        #expect(data.pixels == .uint8(colourValues))
        #expect(data.labels == [0, 1, 2, 6])
    }

    @Test("an archive without y is unlabelled data")
    func unlabelled() throws {
        let data = try Dataset.loadNPZ("\(fixtures)/rgb-unlabelled.npz", expecting: colour)
        #expect(data.count == 4 && data.labels == nil)
    }

    @Test("big-endian float32 images and int16 labels read as their values")
    func bigEndian() throws {
        let data = try Dataset.loadNPZ("\(fixtures)/grey-big-endian.npz", expecting: .model(height: 2, width: 2))
        #expect(data.shape == ImageShape(channels: 1, height: 2, width: 2))
        #expect(data.pixels == .float32((0..<12).map { Float($0) / 8 - 0.5 }))
        #expect(data.labels == [3, 0, 9])
    }

    @Test("x.npy and y.npy in a folder are one dataset, found from the folder or from x.npy")
    func pairFolder() throws {
        for path in ["\(fixtures)/pair", "\(fixtures)/pair/x.npy"] {
            let source = try DataSource.resolve(path, role: .training)
            #expect(source == .npyFolder("\(fixtures)/pair"))
            let data = try source.loadLabelled(expecting: .model(height: 2, width: 2))
            #expect(data.pixels == .uint8([0, 30, 60, 90, 120, 150, 180, 210]))
            #expect(data.labels == [5, 1])
        }
    }

    /// A file that must be rejected, where, and why.
    struct BadFile: CustomTestStringConvertible, Sendable {
        let name: String
        let expectation: DataExpectation
        let location: DataError.Location
        let kind: DataError.Kind
        var testDescription: String { name }
    }

    @Test(
        "mistakes name the array and a byte of its member",
        arguments: [
            BadFile(
                name: "fortran.npz", expectation: colour, location: .byteIn(10, part: "x.npy"),
                kind: .fortranOrder(array: "x")),
            BadFile(
                name: "float64.npz", expectation: colour, location: .byteIn(10, part: "x.npy"),
                kind: .unsupportedDType(
                    array: "x", found: "<f8", expected: "x as uint8 or float32 (x.astype(np.float32))")),
            BadFile(
                name: "flat.npz", expectation: colour, location: .byteIn(10, part: "x.npy"),
                kind: .wrongArrayRank(
                    array: "x", shape: [4, 18],
                    expected: "[N, H, W] or [N, C, H, W]; reshape it: x.reshape(-1, 3, 2, 3)")),
            BadFile(
                name: "nan.npz", expectation: .model(height: 2, width: 2),
                location: .byteIn(128 + 4 * 5, part: "x.npy"),
                kind: .nonFiniteValue(array: "x", index: [1, 0, 1], value: "nan")),
            BadFile(
                name: "label-beyond.npz", expectation: colour, location: .byteIn(128 + 2, part: "y.npy"),
                kind: .labelOutOfRange(found: 7, classes: 7, model: "model.swift-dsl")),
            BadFile(
                name: "float-labels.npz", expectation: colour, location: .byteIn(10, part: "y.npy"),
                kind: .unsupportedDType(array: "y", found: "<f4", expected: "y as an integer type (int64, uint8, ...)")),
            BadFile(
                name: "labels-2d.npz", expectation: colour, location: .byteIn(10, part: "y.npy"),
                kind: .wrongArrayRank(array: "y", shape: [4, 1], expected: "[N], one label per image")),
            BadFile(
                name: "fewer-labels.npz", expectation: colour, location: .byteIn(10, part: "y.npy"),
                kind: .arrayCountMismatch(images: 4, labels: 3)),
            BadFile(
                name: "positional.npz", expectation: colour, location: .file,
                kind: .missingArray(name: "x", found: ["arr_0", "arr_1"])),
            BadFile(
                name: "rgb-stored.npz", expectation: .model(height: 2, width: 3), location: .file,
                kind: .shapeMismatch(
                    found: ImageShape(channels: 3, height: 2, width: 3),
                    expected: ImageShape(channels: 1, height: 2, width: 3), model: "model.swift-dsl")),
        ])
    func badFile(_ bad: BadFile) throws {
        let path = "\(fixtures)/\(bad.name)"
        let error = try #require(throws: DataError.self) { try Dataset.loadNPZ(path, expecting: bad.expectation) }
        #expect(error.path == path)
        #expect(error.location == bad.location)
        #expect(error.kind == bad.kind)
    }

    @Test("a damaged archive is an error at a byte of the file")
    func damagedArchive() throws {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/rgb-stored.npz")))
        var flipped = bytes
        flipped[200] ^= 0x01  // inside x.npy's data: its 200 bytes follow a 55-byte local header
        let checksum = try #require(throws: DataError.self) {
            try Dataset.parseNPZ(LocatedBytes(flipped, path: "d.npz"), expecting: colour)
        }
        #expect(checksum.location == .byte(55))
        guard case .damagedArchive(.checksum("x.npy", _, _)) = checksum.kind else {
            Issue.record("expected a CRC-32 mismatch in x.npy, got \(checksum)")
            return
        }
        let truncated = try #require(throws: DataError.self) {
            try Dataset.parseNPZ(LocatedBytes(Array(bytes.prefix(300)), path: "d.npz"), expecting: colour)
        }
        #expect(truncated.kind == .damagedArchive(.noEndRecord) && truncated.location == .byte(300))
        #expect(truncated.description.hasPrefix("d.npz: error: not a zip archive"))

        let compressed = try Array(Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/rgb-compressed.npz")))
        var garbled = compressed
        for offset in 60..<70 { garbled[offset] = 0xFF }  // inside x.npy's deflate stream
        let inflate = try #require(throws: DataError.self) {
            try Dataset.parseNPZ(LocatedBytes(garbled, path: "c.npz"), expecting: colour)
        }
        guard case .corruptCompressedData = inflate.kind, let offset = inflate.byteOffset else {
            Issue.record("expected damaged deflate data, got \(inflate)")
            return
        }
        #expect(offset >= 60 && offset < compressed.count, "\(inflate)")
    }

    @Test("a .npy header that is not NumPy's dictionary is rejected where it goes wrong")
    func headers() throws {
        func npy(_ header: String, data: [UInt8] = []) -> LocatedBytes {
            let text = Array(header.utf8) + [UInt8(ascii: "\n")]
            return LocatedBytes(
                [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count), 0] + text + data, path: "x.npy")
        }
        let good = "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 2), }"
        #expect(try NPYHeader(npy(good)).shape == [1, 2, 2])
        #expect(try NPYHeader(npy("{\"shape\": (3L,), \"fortran_order\": True, \"descr\": \">i8\"}")).shape == [3])
        let cases: [(String, Int, String)] = [
            ("['descr']", 10, "'{' starting the header's dictionary"),
            ("{'descr': '|u1', 'fortran_order': False}", 51, "the key 'shape'"),
            ("{'descr': '|u1', 'order': False, 'shape': (1,)}", 27, "the key 'descr', 'fortran_order' or 'shape'"),
            ("{'descr': '|u1', 'fortran_order': 0, 'shape': (1,)}", 44, "a string, True, False or a tuple"),
            ("{'descr': '|u1', 'fortran_order': False, 'shape': (1, -2)}", 64, "a non-negative integer dimension"),
            (
                "{'descr': '|u1', 'fortran_order': False, 'shape': (1,)} x", 66,
                "the header to end with spaces and a newline"
            ),
        ]
        for (header, offset, expected) in cases {
            let error = try #require(throws: DataError.self) { try NPYHeader(npy(header)) }
            #expect(error.kind == .npyHeader(expected: expected), "\(header)")
            #expect(error.location == .byte(offset), "\(header)")
        }
        let version = try #require(throws: DataError.self) {
            try NPYHeader(LocatedBytes([0x93] + Array("NUMPY".utf8) + [4, 0, 0, 0], path: "x.npy"))
        }
        #expect(version.kind == .unsupportedNPYVersion(major: 4, minor: 0))
    }
}
