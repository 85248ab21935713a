import FuzzSupport

@testable import NetcRuntime

/// Fuzzes the Kaggle CSV reader with 2×2 images (short headers let the fuzzer reach the rows): each input
/// must give a dataset or an error located at a `FILE:LINE:COL` inside the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(data, size) { bytes in
        let path = "train.csv"
        do throws(DataError) {
            let dataset = try Dataset.parseKaggleCSV(bytes, path: path, expecting: tinyModel)
            guard dataset.count > 0 else { fail("accepted a file without images") }
        } catch {
            guard let line = error.line, let column = error.column else { fail("no line and column: \(error)") }
            requireInside(error.description, path: path, line: line, column: column, of: bytes, numbering: .csv)
        }
    }
}

/// Starts libFuzzer; see `tools/fuzz`.
@main
enum KaggleCSVFuzzer {
    static func main() { runFuzzer(testOneInput) }
}
