internal import CLLVM
import Foundation

/// Lets Linux `perf` name and annotate JIT-compiled kernels, as `NETC_PERF=1` asks: each JIT session then links its
/// code through a layer that reports every function to LLVM's perf listener, which writes a jitdump file
/// (`jit-PID.dump` in a new folder of `$JITDUMPDIR/.debug/jit`, else of LLVM's default: `/tmp/.debug/jit` with
/// Debian's LLVM 14) that `perf inject --jit` turns into symbols and code.
/// `tools/profile` runs the whole sequence:
///
///     NETC_PERF=1 perf record -k 1 -e cpu-clock -o perf.data netc bench MODEL --steps 50
///     perf inject --jit -i perf.data -o perf.jit.data
///     perf report -i perf.jit.data --sort symbol                  # samples per kernel
///     perf annotate -i perf.jit.data -s conv1_3_conv_dw.loops      # samples per instruction
///
/// Off by default: the listener copies every function it is told of into the file.
public enum PerfProfiling {
    /// Whether the environment's `NETC_PERF` asks for it (set, and neither empty nor `0`).
    public static let isRequested: Bool = {
        guard let value = ProcessInfo.processInfo.environment["NETC_PERF"] else { return false }
        return !value.isEmpty && value != "0"
    }()

    /// LLVM's perf listener, one per process, made on first use (when it opens its file); nil when this LLVM was
    /// built without perf support.
    nonisolated(unsafe) static let listener: LLVMJITEventListenerRef? = LLVMCreatePerfJITEventListener()

    /// What a session asked to report to perf says when this LLVM cannot (`listenerAvailable` false): without it the
    /// profile would list no kernel by name and not say why. Nil when it can.
    static func unavailableWarning(listenerAvailable: Bool) -> String? {
        listenerAvailable
            ? nil
            : "netc: NETC_PERF is set, but this LLVM was built without perf support (LLVM_USE_PERF): "
                + "perf will not name the JIT-compiled kernels"
    }

    /// Prints `unavailableWarning` to standard error, once a process: the first time a session asks for the listener.
    static let warnsOnceIfUnavailable: Void = {
        if let warning = unavailableWarning(listenerAvailable: listener != nil) {
            FileHandle.standardError.write(Data((warning + "\n").utf8))
        }
    }()

    /// Makes the object linking layer `LLJIT` would make by default on Linux (RuntimeDyld with a section memory
    /// manager) and registers `listener` with it.
    static let objectLinkingLayer: LLVMOrcLLJITBuilderObjectLinkingLayerCreatorFunction = { _, session, _ in
        let layer = LLVMOrcCreateRTDyldObjectLinkingLayerWithSectionMemoryManager(session)
        if let listener = PerfProfiling.listener {
            LLVMOrcRTDyldObjectLinkingLayerRegisterJITEventListener(layer, listener)
        }
        return layer
    }
}
