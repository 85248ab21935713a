extension AheadOfTimeCode {
    /// The assembly text, after the banner as a `#` comment. As a C-preprocessed `.S` file it assembles to the
    /// code only where the target's architecture and object format are the compiler's (`#if defined(__x86_64__)
    /// && defined(__ELF__)` for `x86_64-pc-linux-gnu`), and to an empty object elsewhere (with ELF's note that
    /// the stack is not executable, which linkers otherwise warn about), so a package holding the file still
    /// builds on other machines. A plain assembler reads the `#` lines as comments.
    public func assembly() throws(LLVMError) -> String {
        let bytes = try CodeGenerator.machineCode(
            for: program, as: .assembly, optimization: optimization, target: target)
        let code = String(decoding: bytes, as: UTF8.self)
        guard let condition = Self.assemblerCondition(triple: target.triple) else {
            return commented(by: "# ") + code
        }
        let terminated = code.hasSuffix("\n") ? code : code + "\n"
        let emptyElsewhere = "#elif defined(__ELF__)\n\t.section\t\".note.GNU-stack\",\"\",%progbits\n#endif\n"
        return commented(by: "# ") + "#if \(condition)\n" + terminated + emptyElsewhere
    }

    /// The C preprocessor condition true exactly where assembly for `triple` assembles: the predefined macros of
    /// its architecture and, where the triple names one, its object format. Nil for an architecture not listed.
    static func assemblerCondition(triple: String) -> String? {
        let parts = triple.split(separator: "-").map(String.init)
        guard let architecture = parts.first.flatMap(architectureMacro) else { return nil }
        let format = parts.dropFirst().lazy.compactMap(objectFormatMacro).first
        return ([architecture] + (format.map { [$0] } ?? [])).map { "defined(\($0))" }.joined(separator: " && ")
    }

    /// The macro compilers predefine for an LLVM architecture name, or nil.
    private static func architectureMacro(_ name: String) -> String? {
        switch name {
        case "x86_64": "__x86_64__"
        case "aarch64", "arm64": "__aarch64__"
        case "riscv64": "__riscv"
        default: nil
        }
    }

    /// The macro compilers predefine for the object format of a triple's vendor, system or environment, or nil.
    private static func objectFormatMacro(_ component: String) -> String? {
        if ["linux", "gnu", "elf", "freebsd", "netbsd", "openbsd"].contains(where: component.hasPrefix) {
            return "__ELF__"
        }
        if ["apple", "darwin", "macos", "ios"].contains(where: component.hasPrefix) { return "__MACH__" }
        if ["windows", "win32", "mingw"].contains(where: component.hasPrefix) { return "_WIN32" }
        return nil
    }
}
