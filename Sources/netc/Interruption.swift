import Dispatch
import Foundation
import NetcRuntime

/// Requests to stop training, from signals.
///
/// Ctrl-C (SIGINT): the first press finishes the current epoch, saves it and stops; a second press exits at once,
/// leaving the previous epoch's checkpoints intact. SIGTERM, which a batch scheduler sends before it preempts,
/// requeues or cancels a job or when the job reaches its time limit (Slurm: then SIGKILL after `KillWait`, 30 s by
/// default), stops after the current batch and saves the epoch so far, so that the process is gone within a batch's
/// time and a requeued job goes on from the next batch. Either way `--resume` continues exactly.
final class Interruption: @unchecked Sendable {
    private let lock = NSLock()
    private var request: (point: KFoldRun.StopPoint, signal: Int32)?
    private var sources: [DispatchSourceSignal] = []

    /// Starts listening for SIGINT and SIGTERM; `announce` tells the user what the signal does.
    init(announce: @escaping @Sendable (String) -> Void) {
        listen(to: SIGINT) { [weak self] in
            guard let self else { return }
            if self.stopPoint != nil { exit(130) }
            self.lock.withLock { self.request = (.endOfEpoch, SIGINT) }
            announce("\ninterrupted: finishing this epoch and saving; press Ctrl-C again to stop at once\n")
        }
        listen(to: SIGTERM) { [weak self] in
            guard let self else { return }
            self.lock.withLock { self.request = (.endOfBatch, SIGTERM) }
            announce("\nterminated (SIGTERM): saving after this batch and stopping; continue with --resume\n")
        }
    }

    private func listen(to signalNumber: Int32, handler: @escaping @Sendable () -> Void) {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
        sources.append(source)
    }

    /// Where training should stop, once a signal asked it to.
    var stopPoint: KFoldRun.StopPoint? { lock.withLock { request?.point } }

    /// The exit status of a run a signal stopped: 128 + the signal's number, as a shell reports a process the
    /// signal killed (130 for Ctrl-C, 143 for SIGTERM).
    var exitStatus: Int32 { 128 + (lock.withLock { request?.signal } ?? SIGINT) }

    deinit { sources.forEach { $0.cancel() } }
}
