import FuzzSupport

@testable import NetcRuntime

/// Fuzzes the `.npy` reader with one input split into `x.npy` and `y.npy`: the first byte says where, as a
/// fraction of the rest (255: no labels). Each input must give a dataset or an error naming the file and a
/// byte offset inside it (or, for images of another shape than the model's, the shapes).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(data, size) { bytes in
        guard let split = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        let cut = rest.count * Int(split) / 255
        let x = LocatedBytes(Array(rest[..<cut]), path: "x.npy")
        let y = LocatedBytes(Array(rest[cut...]), path: "y.npy")
        do throws(DataError) {
            let dataset = try Dataset.parseNumPy(x: x, y: split == 255 ? nil : y, expecting: tinyModel)
            guard dataset.count > 0, dataset.labels.map({ $0.count == dataset.count }) ?? true else {
                fail("inconsistent dataset")
            }
        } catch {
            requireInside(error, of: [readBytes(x), readBytes(y)]) {
                if case .shapeMismatch = $0 { true } else { false }
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
enum NPYFuzzer {
    static func main() { runFuzzer(testOneInput) }
}
