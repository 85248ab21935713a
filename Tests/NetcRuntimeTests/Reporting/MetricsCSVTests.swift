import Foundation
import Testing

@testable import NetcRuntime

@Suite("Metrics CSV")
struct MetricsCSVTests {
    @Test("each append rewrites the whole file with the header and every row")
    func appendRewrites() throws {
        let fixtures = try FixtureDirectory()
        let path = fixtures.path + "/metrics.csv"
        var metrics = MetricsCSV(path: path)
        try metrics.append(
            EpochRecord(
                fold: 1, epoch: 1, trainLoss: 0.5, validationLoss: 0.25, validationAccuracy: 0.9375,
                imagesPerSecond: 4512.25, seconds: 10.5, learningRate: 0.001))
        let header =
            "fold,epoch,train_loss,val_loss,val_accuracy,images_per_second,seconds,learning_rate,ema_val_loss,"
            + "ema_val_accuracy\n"
        #expect(
            try String(contentsOfFile: path, encoding: .utf8) == header + "1,1,0.5,0.25,0.9375,4512.25,10.5,0.001,,\n")

        try metrics.append(
            EpochRecord(
                fold: 1, epoch: 2, trainLoss: .nan, validationLoss: .infinity, validationAccuracy: 0.1,
                imagesPerSecond: 123_456_789, seconds: 1234.5678, learningRate: 1e-5,
                average: EpochRecord.Validation(loss: 0.125, accuracy: 0.96875)))
        #expect(
            try String(contentsOfFile: path, encoding: .utf8) == header
                + "1,1,0.5,0.25,0.9375,4512.25,10.5,0.001,,\n"
                + "1,2,nan,inf,0.1,1.23457e+08,1234.57,1e-05,0.125,0.96875\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixtures.path) == ["metrics.csv"])
        #expect(try MetricsCSV.records(fromFileAt: path).map(\.average) == [nil, metrics.records[1].average])
    }

    @Test("rows written before the moving average's columns still read")
    func olderRows() throws {
        let fixtures = try FixtureDirectory()
        let path = fixtures.path + "/metrics.csv"
        let text =
            "fold,epoch,train_loss,val_loss,val_accuracy,images_per_second,seconds,learning_rate\n"
            + "2,3,0.5,0.25,0.9375,4512.25,10.5,0.001\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let records = try MetricsCSV.records(fromFileAt: path)
        #expect(records.map(\.epoch) == [3])
        #expect(records.first?.average == nil)
        #expect(records.first?.validationAccuracy == 0.9375)
    }

    @Test("an unwritable place is reported, naming the file")
    func unwritable() {
        var metrics = MetricsCSV(path: "/nonexistent-netc-directory/metrics.csv")
        let error = #expect(throws: CheckpointError.self) {
            try metrics.append(
                EpochRecord(
                    fold: 1, epoch: 1, trainLoss: 1, validationLoss: 1, validationAccuracy: 0, imagesPerSecond: 0,
                    seconds: 0, learningRate: 0))
        }
        #expect(error?.path == "/nonexistent-netc-directory/metrics.csv")
        #expect(metrics.records.count == 1)
    }
}
