#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads the whole file at `path` into memory with one `read` loop, so parsers can scan plain bytes.
///
/// - Throws: ``DataError/Kind/unreadable(reason:)`` with the system's reason (missing file, a directory, ...).
func readFileBytes(at path: String) throws(DataError) -> [UInt8] {
    func unreadable(_ reason: String) -> DataError {
        DataError(path: path, location: .file, kind: .unreadable(reason: reason))
    }
    func systemReason() -> String { String(cString: strerror(errno)) }

    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw unreadable(systemReason()) }
    defer { close(descriptor) }

    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw unreadable(systemReason()) }
    guard (status.st_mode & S_IFMT) == S_IFREG else { throw unreadable("not a regular file") }

    let size = Int(status.st_size)
    var bytes = [UInt8](repeating: 0, count: size)
    var filled = 0
    let failure: String? = bytes.withUnsafeMutableBytes { buffer in
        while filled < size, let base = buffer.baseAddress {
            let got = read(descriptor, base + filled, size - filled)
            if got < 0 {
                if errno == EINTR { continue }
                return systemReason()
            }
            if got == 0 { return "the file shrank while being read" }
            filled += got
        }
        return nil
    }
    if let failure { throw unreadable(failure) }
    return bytes
}

/// The product of `values`, or `nil` when it overflows `Int`: the size a header claims, checked before it is
/// trusted.
func checkedProduct(_ values: [Int]) -> Int? {
    var product = 1
    for value in values {
        let (next, overflow) = product.multipliedReportingOverflow(by: value)
        guard !overflow else { return nil }
        product = next
    }
    return product
}

/// The contents of the file at `path`, decompressed when it is a gzip file (whatever its name).
func readPossiblyCompressedFile(at path: String) throws(DataError) -> LocatedBytes {
    try decompressedIfGzip(LocatedBytes(readFileBytes(at: path), path: path))
}

/// `file` itself, or its decompressed contents when it is a gzip file; errors in those then name the
/// decompressed data as the part of the file they are in.
func decompressedIfGzip(_ file: LocatedBytes) throws(DataError) -> LocatedBytes {
    guard Zlib.isGzip(file.bytes) else { return file }
    do {
        return LocatedBytes(try Zlib.gunzip(file.bytes), path: file.path, part: "the decompressed data")
    } catch {
        throw DataError(
            path: file.path, location: .byte(error.offset), kind: .corruptCompressedData(reason: error.reason))
    }
}
