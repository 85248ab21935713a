import FuzzSupport

@testable import NetcRuntime

/// Fuzzes the safetensors reader: each input must give a checkpoint that writes back to the same tensors, or
/// an error naming a tensor, a byte offset, or the header or data section at fault.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(data, size) { bytes in
        let path = "fuzz.safetensors"
        let checkpoint: Checkpoint
        do throws(CheckpointError.Kind) {
            checkpoint = try SafeTensors.decode(bytes)
        } catch {
            let description = CheckpointError(path: path, kind: error).description
            requireLocated(description, path: path, markers: ["'", "byte", "header", "data"])
            return
        }
        do throws(CheckpointError.Kind) {
            let again = try SafeTensors.decode(SafeTensors.encode(checkpoint.tensors, metadata: checkpoint.metadata))
            guard again.tensors.map(\.name) == checkpoint.tensors.map(\.name) else { fail("tensor names changed") }
        } catch {
            fail("a checkpoint that was read cannot be written back: \(error)")
        }
    }
}

/// Starts libFuzzer; see `tools/fuzz`.
@main
enum SafeTensorsFuzzer {
    static func main() { runFuzzer(testOneInput) }
}
