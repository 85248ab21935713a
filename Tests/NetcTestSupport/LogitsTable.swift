import Foundation

/// Scores per image as `netc predict --logits` and `Tests/Python/onnx_logits.py` write them: a CSV of
/// `ImageId,logit0,...` rows.
public struct LogitsTable: Equatable, Sendable {
    /// One row of scores per image.
    public var rows: [[Double]]

    /// A table of the given rows.
    public init(rows: [[Double]]) { self.rows = rows }

    /// Reads the CSV at `path`; a field that is not a number reads as NaN, which compares unequal to anything.
    public init(contentsOf path: String) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
        rows = lines.map { $0.split(separator: ",").dropFirst().map { Double($0) ?? .nan } }
    }

    /// The predicted class of every image: the first largest score, as netc picks it.
    public var labels: [Int] {
        rows.map { row in row.indices.max { row[$0] < row[$1] } ?? -1 }
    }

    /// The largest absolute difference between corresponding scores; infinity when the shapes differ or a
    /// score is not a number.
    public func largestDifference(from other: LogitsTable) -> Double {
        guard rows.count == other.rows.count, zip(rows, other.rows).allSatisfy({ $0.count == $1.count }) else {
            return .infinity
        }
        return zip(rows.joined(), other.rows.joined()).reduce(0.0) { largest, pair in
            let difference = abs(pair.0 - pair.1)
            return difference.isNaN ? .infinity : max(largest, difference)
        }
    }
}
