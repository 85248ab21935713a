import FuzzSupport

@testable import NetcRuntime

/// Fuzzes the `ImageId,Label` reader: each input must give labels or an error located at a `FILE:LINE:COL`
/// inside the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(data, size) { bytes in
        let path = "test_labels.csv"
        do throws(DataError) {
            let labels = try Dataset.parseLabelsCSV(bytes, path: path, expecting: tinyModel)
            guard !labels.isEmpty, labels.allSatisfy({ (0...9).contains($0) }) else {
                fail("accepted bad labels \(labels)")
            }
        } catch {
            guard let line = error.line, let column = error.column else { fail("no line and column: \(error)") }
            requireInside(error.description, path: path, line: line, column: column, of: bytes, numbering: .csv)
        }
    }
}

/// Starts libFuzzer; see `tools/fuzz`.
@main
enum LabelsCSVFuzzer {
    static func main() { runFuzzer(testOneInput) }
}
