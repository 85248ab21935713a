import FuzzSupport

@testable import NetcRuntime

/// Fuzzes the Kaggle CSV reader with 2×2 images (short headers let the fuzzer reach the rows): each input
/// must give a dataset or an error located at `FILE:LINE:COL`.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(data, size) { bytes in
        let path = "train.csv"
        do throws(DataError) {
            let dataset = try Dataset.parseKaggleCSV(bytes, path: path, expecting: tinyModel)
            guard dataset.count > 0 else { fail("accepted a file without images") }
        } catch {
            requireLocated(error.description, path: path)
        }
    }
}

/// Starts libFuzzer; see `tools/fuzz`.
@main
enum KaggleCSVFuzzer {
    static func main() { runFuzzer(testOneInput) }
}
