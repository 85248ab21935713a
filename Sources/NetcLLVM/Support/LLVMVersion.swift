internal import CLLVM

/// The version of LLVM netc was compiled against.
///
/// netc is written for LLVM 14's C API (typed pointers, the LLVM 14 ORC and pass-builder entry points).
/// The version comes from the headers' `llvm-config.h`, so it also proves which headers were used: the
/// Swift toolchain's own, newer llvm-c copy must never be picked up instead.
public struct LLVMVersion: Equatable, Sendable, CustomStringConvertible {
    /// The major version, 14 for a correct build.
    public let major: Int
    /// The minor version.
    public let minor: Int
    /// The patch version.
    public let patch: Int

    /// The version of the LLVM headers this module was compiled with.
    public static let headers = LLVMVersion(
        major: Int(LLVM_VERSION_MAJOR), minor: Int(LLVM_VERSION_MINOR), patch: Int(LLVM_VERSION_PATCH))

    /// The version written the usual way, e.g. `14.0.6`.
    public var description: String { "\(major).\(minor).\(patch)" }
}
