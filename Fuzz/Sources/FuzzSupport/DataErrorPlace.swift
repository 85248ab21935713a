import NetcRuntime

/// Bytes a binary data reader was given: a whole file, or a part of one the harness unpacked itself (the
/// decompressed contents of a gzip file).
public struct ReadBytes: Sendable {
    /// The file, as the reader was told its name.
    public var path: String
    /// The part of the file, as errors name it; nil for the file itself.
    public var part: String?
    /// How many bytes there are.
    public var count: Int

    /// Bytes of the file at `path`, or of its `part`.
    public init(path: String, part: String? = nil, count: Int) {
        (self.path, self.part, self.count) = (path, part, count)
    }
}

/// Fails unless `error`, from a reader of the binary `inputs`, points inside them: it reads
/// `PATH: error: MESSAGE (at byte N)` for an N inside the file it names (its end included: an error about missing
/// bytes points there), or `(at byte N of PART)` for a part of it (one the harness did not unpack, such as an
/// archive member, needs only N ≥ 0); an error about the file as a whole must be of a kind `isAboutWholeFile`
/// accepts.
public func requireInside(_ error: DataError, of inputs: [ReadBytes], isAboutWholeFile: (DataError.Kind) -> Bool) {
    guard inputs.contains(where: { $0.path == error.path }) else { fail("error names no file it was given: \(error)") }
    switch error.location {
    case .byte(let offset):
        let size = inputs.first { $0.path == error.path && $0.part == nil }?.count ?? -1
        requireInside(error.description, path: error.path, byteOffset: offset, size: size)
    case .byteIn(let offset, let part):
        guard error.description == "\(error.path): error: \(error.message) (at byte \(offset) of \(part))" else {
            fail("error does not name the file, the part and the byte: \(error)")
        }
        let size = inputs.first { $0.path == error.path && $0.part == part }?.count ?? .max
        guard (0...size).contains(offset) else { fail("byte \(offset) lies outside \(part) (\(size) bytes): \(error)") }
    case .file:
        guard isAboutWholeFile(error.kind) else { fail("error has no byte offset: \(error)") }
    case .text:
        fail("a binary file's error has a line and column: \(error)")
    }
}
