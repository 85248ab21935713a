/// Kaggle "Digit Recognizer" output files.
public enum Submission {
    /// `ImageId,Label` with ImageId from 1, one row per image.
    public static func csv(labels: [Int]) -> String {
        "ImageId,Label\n" + labels.enumerated().map { "\($0.offset + 1),\($0.element)\n" }.joined()
    }

    /// `ImageId,logit0,...,logitK-1` with ImageId from 1: the scores the labels were chosen from.
    public static func logitsCSV(_ scores: [Double], classes: Int) -> String {
        let header = "ImageId," + (0..<classes).map { "logit\($0)" }.joined(separator: ",") + "\n"
        return header
            + stride(from: 0, to: scores.count, by: classes).enumerated().map { row, start in
                "\(row + 1)," + scores[start..<start + classes].map { "\(Float($0))" }.joined(separator: ",") + "\n"
            }.joined()
    }
}
