import FuzzSupport

@testable import NetcRuntime

/// Fuzzes the `ImageId,Label` reader: each input must give labels or an error located at `FILE:LINE:COL`.
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
            requireLocated(error.description, path: path)
        }
    }
}

/// Starts libFuzzer; see `tools/fuzz`.
@main
enum LabelsCSVFuzzer {
    static func main() { runFuzzer(testOneInput) }
}
