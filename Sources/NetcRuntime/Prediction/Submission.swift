/// Kaggle "Digit Recognizer" output files.
public enum Submission {
    /// `ImageId,Label` with ImageId from 1, one row per image.
    public static func csv(labels: [Int]) -> String {
        "ImageId,Label\n" + labels.enumerated().map { "\($0.offset + 1),\($0.element)\n" }.joined()
    }

    /// `ImageId,logit0,...,logitK-1` with ImageId from 1: the scores the labels were chosen from.
    public static func logitsCSV(_ scores: [Double], classes: Int) -> String {
        logitsCSV(
            stride(from: 0, to: scores.count, by: classes).enumerated().map { row, start in
                (image: row, logits: scores[start..<start + classes])
            }, classes: classes)
    }

    /// `ImageId,logit0,...,logitK-1` for the given images (ImageId is the image's index from 1), in the order given.
    public static func logitsCSV(_ rows: [(image: Int, logits: ArraySlice<Double>)], classes: Int) -> String {
        "ImageId," + (0..<classes).map { "logit\($0)" }.joined(separator: ",") + "\n"
            + rows.map { image, logits in
                "\(image + 1)," + logits.map { "\(Float($0))" }.joined(separator: ",") + "\n"
            }.joined()
    }
}
