import NetcGraph

/// Named tensors (parameters, batch-norm statistics, optimizer state) and string metadata, kept on disk as a
/// safetensors file that PyTorch, NumPy and Hugging Face tools read too.
///
/// Tensors keep their order: the order given when saving, and the file's header order when loading.
public struct Checkpoint: Sendable {
    /// The tensors, in order; names are unique.
    public var tensors: [(name: String, tensor: Tensor)]
    /// Free-form string metadata (epoch, fold, seed, model file, ...).
    public var metadata: [String: String]

    /// Creates a checkpoint in memory.
    public init(tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor called `name`, if there is one.
    public func tensor(named name: String) -> Tensor? {
        tensors.first { $0.name == name }?.tensor
    }

    /// Reads and validates the safetensors file at `path`.
    ///
    /// The file is checked strictly (see ``CheckpointError/Kind``); float32, int32 and int64 tensors are read.
    /// - Throws: ``CheckpointError`` naming the file and, where there is one, the tensor.
    public static func load(from path: String) throws(CheckpointError) -> Checkpoint {
        let bytes: [UInt8]
        do {
            bytes = try readFileBytes(at: path)
        } catch {
            guard case .unreadable(let reason) = error.kind else {
                throw CheckpointError(path: path, kind: .unreadable(reason: error.message))
            }
            throw CheckpointError(path: path, kind: .unreadable(reason: reason))
        }
        do {
            return try SafeTensors.decode(bytes)
        } catch {
            throw CheckpointError(path: path, kind: error)
        }
    }

    /// Writes the checkpoint to `path` as safetensors, atomically (see ``AtomicFile``).
    ///
    /// Float32 values are rounded to the nearest `Float`; int32 and int64 tensors must hold integers in range.
    /// - Throws: ``CheckpointError`` for a duplicate or reserved tensor name, an unrepresentable integer, or
    ///   a failed write; the file at `path` is then unchanged.
    public func save(to path: String) throws(CheckpointError) {
        let bytes: [UInt8]
        do {
            bytes = try SafeTensors.encode(tensors, metadata: metadata)
        } catch {
            throw CheckpointError(path: path, kind: error)
        }
        try AtomicFile.write(bytes, to: path)
    }
}
