import FuzzSupport

@testable import NetcRuntime

/// Fuzzes the `.npz` reader (zip directory, stored and deflate members, the `.npy` arrays inside): each input
/// must give a dataset or an error naming the file and a byte offset, inside it or in one of its members.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(data, size) { bytes in
        let file = LocatedBytes(bytes, path: "data.npz")
        do throws(DataError) {
            let dataset = try Dataset.parseNPZ(file, expecting: tinyModel)
            guard dataset.count > 0, dataset.labels.map({ $0.count == dataset.count }) ?? true else {
                fail("inconsistent dataset")
            }
        } catch {
            requireInside(error, of: [readBytes(file)]) {
                switch $0 {
                case .missingArray, .shapeMismatch: true
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
enum NPZFuzzer {
    static func main() { runFuzzer(testOneInput) }
}
