import Foundation
import NetcRuntime
import Testing

/// `data/mnist` in the repository, written by `tools/fetch-mnist`.
private let mnistDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("data/mnist").path

private func mnistFileExists(_ name: String) -> Bool {
    FileManager.default.fileExists(atPath: mnistDirectory + "/" + name)
}

@Suite("Real MNIST data")
struct RealMNISTTests {
    @Test(
        "train.csv holds MNIST's 60000 training digits",
        .enabled(if: mnistFileExists("train.csv"), "data/mnist/train.csv is missing; run tools/fetch-mnist"))
    func train() throws {
        let dataset = try Dataset.loadKaggleCSV(mnistDirectory + "/train.csv", expecting: .mnist)
        #expect(dataset.count == 60000)
        let labels = try #require(dataset.labels)
        var histogram = [Int](repeating: 0, count: 10)
        for label in labels { histogram[label] += 1 }
        // The published class counts of the MNIST training set.
        #expect(histogram == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        // The first training digit is a 5 whose pixels sum to 27525.
        #expect(labels[0] == 5)
        #expect(dataset.values(ofImage: 0).reduce(0, +) == 27525)
    }

    @Test(
        "test.csv with test_labels.csv holds MNIST's 10000 test digits",
        .enabled(
            if: mnistFileExists("test.csv") && mnistFileExists("test_labels.csv"),
            "data/mnist/test.csv or test_labels.csv is missing; run tools/fetch-mnist"))
    func test() throws {
        let imagesPath = mnistDirectory + "/test.csv"
        let labelsPath = mnistDirectory + "/test_labels.csv"
        let images = try Dataset.loadKaggleCSV(imagesPath, expecting: .mnist)
        #expect(images.labels == nil)
        let dataset = try images.labelled(
            by: Dataset.loadLabelsCSV(labelsPath, expecting: .mnist), from: labelsPath, imagesPath: imagesPath)
        #expect(dataset.count == 10000)
        var histogram = [Int](repeating: 0, count: 10)
        for label in dataset.labels ?? [] { histogram[label] += 1 }
        // The published class counts of the MNIST test set; its first digit is a 7.
        #expect(histogram == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        #expect(dataset.labels?.first == 7)
    }
}
