import NetcLLVM
import NetcLoops
import Testing

/// The machine code of one kernel of a program, as its instruction mnemonics.
enum KernelMnemonics {
    /// The mnemonics of `kernel`'s loops function in `program`'s assembly for `target`, in order.
    static func of(_ kernel: Kernel, in program: LoopProgram, target: TargetName) throws -> [String] {
        let assembly = try AheadOfTimeCode(program: program, target: target.target).assembly()
        let lines = assembly.split(separator: "\n")
        let start = try #require(lines.firstIndex { $0 == "\(kernel.name).loops:" })
        let end = try #require(lines[start...].firstIndex { $0.hasPrefix(".Lfunc_end") })
        return lines[start..<end].filter { $0.hasPrefix("\t") }.compactMap {
            $0.split(separator: "\t").first.map(String.init)
        }
    }
}
