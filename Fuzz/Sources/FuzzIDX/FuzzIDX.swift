import FuzzSupport

@testable import NetcRuntime

/// Fuzzes the IDX reader with one input split into an images file and a labels file, each gzip-compressed or
/// not: the first byte says where, as a fraction of the rest (255: no labels file). Each input must give a
/// dataset or an error naming the file and a byte offset inside it or its decompressed data (or, for a count or
/// shape mismatch, the other file or the shapes).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(data, size) { bytes in
        guard let split = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        let cut = rest.count * Int(split) / 255
        let images = LocatedBytes(Array(rest[..<cut]), path: "images-idx3-ubyte")
        let labels = LocatedBytes(Array(rest[cut...]), path: "labels-idx1-ubyte")
        var read = [readBytes(images), readBytes(labels)]
        do throws(DataError) {
            let unpackedImages = try decompressedIfGzip(images)
            let unpackedLabels = split == 255 ? nil : try decompressedIfGzip(labels)
            read += [unpackedImages, unpackedLabels].compactMap { $0.map(readBytes) }
            let dataset = try Dataset.parseIDX(images: unpackedImages, labels: unpackedLabels, expecting: tinyModel)
            guard dataset.count > 0 || dataset.pixels.count == 0 else { fail("inconsistent dataset") }
        } catch {
            requireInside(error, of: read) {
                switch $0 {
                case .countMismatch, .shapeMismatch: true
                default: false
                }
            }
        }
    }
}

/// What the reader was given in `located`.
private func readBytes(_ located: LocatedBytes) -> ReadBytes {
    ReadBytes(path: located.path, part: located.part, count: located.bytes.count)
}

/// Starts libFuzzer; see `tools/fuzz`.
@main
enum IDXFuzzer {
    static func main() { runFuzzer(testOneInput) }
}
