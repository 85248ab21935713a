import NetcGraph

extension RunFolder {
    /// The lock that processes rebuilding the run-level files take turns on.
    var summariesLock: String { "\(path)/.summaries.lock" }

    /// Rebuilds `metrics.csv` and `losses.svg` from every fold's own metrics file, so that separate processes
    /// training separate folds (`--fold K`, a Slurm job array) keep one consistent picture.
    ///
    /// Each file is replaced atomically, so a reader never sees a torn one; and the rebuilds take turns (a
    /// ``FileLock``), so that one that read the folds' files before another process's last epoch cannot replace the
    /// newer summary after it: the last rebuild reads every fold's last write, and once every fold is done the
    /// summaries hold every epoch.
    func rebuildSummaries(folds: Int, epochs: Int, bestEpoch: BestEpoch) throws {
        try FileLock.withLock(on: summariesLock) {
            var records: [EpochRecord] = []
            for fold in 0..<folds {
                records += try MetricsCSV.records(fromFileAt: foldMetrics(fold))
            }
            try AtomicFile.write(Array(MetricsCSV(path: metrics, records: records).text.utf8), to: metrics)
            let plot = LossPlot(records: records, foldCount: folds, epochCount: epochs, bestEpoch: bestEpoch)
            try AtomicFile.write(Array(plot.svg().utf8), to: losses)
        }
    }
}
