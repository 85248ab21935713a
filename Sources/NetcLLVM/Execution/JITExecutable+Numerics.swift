import NetcGraph
import NetcLoops

extension JITExecutable {
    /// Runs the kernels in order like `runWrittenInputs()`, scanning the floating-point buffers each one wrote
    /// before the next starts.
    ///
    /// - Throws: `NumericalFault` naming the first kernel that wrote a NaN or an infinity, the tensor and the
    ///   element; the kernels after it do not run, but the updates of earlier kernels stay applied.
    func runCheckingNumerics() throws(NumericalFault) {
        for (index, kernel) in program.kernels.enumerated() {
            runKernel(index)
            for id in kernel.writtenBuffers.sorted() {
                let buffer = program.buffers[id.index]
                if let (element, value) = firstNonFinite(in: buffer) {
                    let (tensor, offset) = tensorHolding(element, of: buffer)
                    throw NumericalFault(producer: kernel.name, tensor: tensor, index: offset, value: value)
                }
            }
        }
    }

    /// The first element of a floating-point buffer that is not finite, and its value.
    private func firstNonFinite(in buffer: Buffer) -> (element: Int, value: Double)? {
        let address = arenas.base(buffer.location.arena) + buffer.location.byteOffset
        for element in 0..<buffer.count {
            let value: Double
            switch buffer.elementType {
            case .float32: value = Double(address.load(fromByteOffset: element * 4, as: Float.self))
            case .float64: value = address.load(fromByteOffset: element * 8, as: Double.self)
            case .int32, .int64, .bool: return nil
            }
            if !value.isFinite { return (element, value) }
        }
        return nil
    }

    /// The parameter or state tensor an element of a flat buffer (the parameter arena Adam updates) belongs to,
    /// and the element's index in it; the buffer itself for any other buffer.
    private func tensorHolding(_ element: Int, of buffer: Buffer) -> (name: String, index: Int) {
        let byte = buffer.location.byteOffset + element * buffer.elementType.byteCount
        let holder = program.memory.persistent.first { _, view in
            view.location.arena == buffer.location.arena && view.type.dtype == .float32
                && (view.location.byteOffset..<view.location.byteOffset + view.type.elementCount * 4).contains(byte)
        }
        guard let (name, view) = holder else { return (buffer.name, element) }
        return (name, (byte - view.location.byteOffset) / 4)
    }
}
