import FuzzSupport

@testable import NetcRuntime

/// Fuzzes the `.npz` reader (zip directory, stored and deflate members, the `.npy` arrays inside): each input
/// must give a dataset or an error naming the file and a byte offset, in it or in one of its members.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(data, size) { bytes in
        let path = "data.npz"
        do throws(DataError) {
            let dataset = try Dataset.parseNPZ(LocatedBytes(bytes, path: path), expecting: tinyModel)
            guard dataset.count > 0, dataset.labels.map({ $0.count == dataset.count }) ?? true else {
                fail("inconsistent dataset")
            }
        } catch {
            requireLocated(error.description, path: path, markers: ["(at byte ", "no array 'x'", "this file holds"])
        }
    }
}

/// Starts libFuzzer; see `tools/fuzz`.
@main
enum NPZFuzzer {
    static func main() { runFuzzer(testOneInput) }
}
