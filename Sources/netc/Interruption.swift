import Dispatch
import Foundation

/// Ctrl-C during training: the first press finishes the current epoch, saves it and stops (resume with
/// `--resume`); a second press exits at once, leaving the previous epoch's checkpoints intact.
final class Interruption: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var source: DispatchSourceSignal?

    /// Starts listening for SIGINT; `announce` tells the user what the first press does.
    init(announce: @escaping @Sendable (String) -> Void) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            guard let self else { return }
            if self.isRequested { exit(130) }
            self.lock.withLock { self.requested = true }
            announce("\ninterrupted: finishing this epoch and saving; press Ctrl-C again to stop at once\n")
        }
        source.resume()
        self.source = source
    }

    /// Whether the user asked to stop.
    var isRequested: Bool { lock.withLock { requested } }

    deinit { source?.cancel() }
}
