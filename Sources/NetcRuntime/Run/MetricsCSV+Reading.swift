import Foundation

extension MetricsCSV {
    /// The records of a metrics file written by `MetricsCSV`, or none when there is no file.
    ///
    /// Used to carry a fold's history across `--resume`; rows that do not parse are a corrupt run folder. Rows
    /// without the moving average's columns (runs from before them) read as runs without an average.
    public static func records(fromFileAt path: String) throws -> [EpochRecord] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst()
        return try lines.enumerated().map { number, line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 8 || fields.count == 10, let fold = Int(fields[0]), let epoch = Int(fields[1])
            else {
                throw RunError.unreadableManifest(path: path, reason: "line \(number + 2) is not a metrics row")
            }
            let values = fields[2..<8].map { Double($0) ?? .nan }
            let average =
                fields.count == 10 && !fields[8].isEmpty
                ? EpochRecord.Validation(loss: Double(fields[8]) ?? .nan, accuracy: Double(fields[9]) ?? .nan) : nil
            return EpochRecord(
                fold: fold, epoch: epoch, trainLoss: values[0], validationLoss: values[1],
                validationAccuracy: values[2], imagesPerSecond: values[3], seconds: values[4],
                learningRate: values[5], average: average)
        }
    }
}
