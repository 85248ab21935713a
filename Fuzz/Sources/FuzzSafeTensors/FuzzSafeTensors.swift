import FuzzSupport

@testable import NetcRuntime

/// Fuzzes the safetensors reader: each input must give a checkpoint that agrees with the harness's own reading
/// of the file and writes back to the same tensors and metadata, or an error that points inside the input (see
/// ``requireInside(_:of:)``).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(data, size) { bytes in
        let file = RawSafeTensors(bytes)
        let checkpoint: Checkpoint
        do throws(CheckpointError.Kind) {
            checkpoint = try SafeTensors.decode(bytes)
        } catch {
            requireInside(error, of: file)
            return
        }
        requireAgreement(checkpoint, with: file)
        do throws(CheckpointError.Kind) {
            let again = try SafeTensors.decode(SafeTensors.encode(checkpoint.tensors, metadata: checkpoint.metadata))
            guard again.metadata == checkpoint.metadata else { fail("metadata changed when written back") }
            guard again.tensors.count == checkpoint.tensors.count else { fail("tensors lost when written back") }
            for (written, read) in zip(again.tensors, checkpoint.tensors) {
                guard written.name == read.name, written.tensor.type == read.tensor.type,
                    written.tensor.scalars.map(\.bitPattern) == read.tensor.scalars.map(\.bitPattern)
                else { fail("tensor '\(read.name)' changed when written back") }
            }
        } catch {
            fail("a checkpoint that was read cannot be written back: \(error)")
        }
    }
}

/// Fails unless `checkpoint`, read from `file`, holds what the harness reads there itself: the tensors the header
/// names, with their dtypes and shapes, each element the little-endian value at its offsets, and the metadata.
func requireAgreement(_ checkpoint: Checkpoint, with file: RawSafeTensors) {
    // A header the harness's parser (Foundation's) cannot read is compared by the round trip alone.
    guard let header = file.header else { return }
    let metadata = header[SafeTensors.metadataKey].map { $0 as? [String: String] ?? [:] } ?? [:]
    guard checkpoint.metadata == metadata else { fail("metadata \(checkpoint.metadata), the header holds \(metadata)") }
    let names = Set(header.keys).subtracting([SafeTensors.metadataKey])
    guard Set(checkpoint.tensors.map(\.name)) == names, checkpoint.tensors.count == names.count else {
        fail("tensors \(checkpoint.tensors.map(\.name)), the header names \(names.sorted())")
    }
    for (name, tensor) in checkpoint.tensors {
        guard let entry = file.entry(name), entry.dtype == tensor.type.dtype, entry.shape == tensor.shape else {
            fail("tensor '\(name)' is \(tensor.type), not what its header entry says")
        }
        let elements = file.elements(of: entry)
        guard elements.count == tensor.scalars.count else { fail("tensor '\(name)' has the wrong element count") }
        for (index, (value, expected)) in zip(tensor.scalars, elements).enumerated() {
            guard value.bitPattern == expected.bitPattern || value.isNaN && expected.isNaN else {
                fail("tensor '\(name)' element \(index) is \(value), its bytes hold \(expected)")
            }
        }
    }
}

/// Starts libFuzzer; see `tools/fuzz`.
@main
enum SafeTensorsFuzzer {
    static func main() { runFuzzer(testOneInput) }
}
