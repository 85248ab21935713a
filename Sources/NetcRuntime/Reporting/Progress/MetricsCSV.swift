import Foundation

/// `metrics.csv`: one row per finished epoch, rewritten whole and atomically after each one.
///
/// Columns: `fold,epoch,train_loss,val_loss,val_accuracy,images_per_second,seconds,learning_rate,ema_val_loss,
/// ema_val_accuracy`; the last two (the moving average of the weights) are empty when the run keeps no average.
/// Readers (a spreadsheet, pandas, `tail -f` after the fact) always see a complete file. Numbers have up
/// to six significant digits; NaN and infinities are written `nan`, `inf`, `-inf` as pandas reads them.
public struct MetricsCSV {
    /// The header line, without its newline.
    public static let header =
        "fold,epoch,train_loss,val_loss,val_accuracy,images_per_second,seconds,learning_rate,ema_val_loss,"
        + "ema_val_accuracy"

    /// Where the file is written.
    public let path: String
    /// The epochs written so far, in order.
    public private(set) var records: [EpochRecord]

    /// A metrics file at `path` that starts with `records` (those of a resumed run, say); nothing is written yet.
    public init(path: String, records: [EpochRecord] = []) {
        self.path = path
        self.records = records
    }

    /// Adds `record` and rewrites the file with every row so far.
    ///
    /// - Throws: ``CheckpointError`` naming `path` when the file cannot be written; the old file stays.
    public mutating func append(_ record: EpochRecord) throws(CheckpointError) {
        records.append(record)
        try AtomicFile.write(Array(text.utf8), to: path)
    }

    /// The whole file's contents: the header and one line per record, each ending in a newline.
    public var text: String {
        ([Self.header] + records.map(Self.row)).joined(separator: "\n") + "\n"
    }

    /// One record's line.
    static func row(_ record: EpochRecord) -> String {
        let numbers = [
            record.trainLoss, record.validationLoss, record.validationAccuracy, record.imagesPerSecond,
            record.seconds, record.learningRate,
        ]
        let average = record.average.map { [number($0.loss), number($0.accuracy)] } ?? ["", ""]
        return (["\(record.fold)", "\(record.epoch)"] + numbers.map(number) + average).joined(separator: ",")
    }

    /// A number with up to six significant digits, or `nan`/`inf`/`-inf`.
    private static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.6g", value)
    }
}
