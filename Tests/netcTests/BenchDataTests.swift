import Foundation
import Testing

/// `netc bench --data` times reading data as training reads it, and data that does not fit the model is the same
/// located error as in `netc train`, before anything is compiled.
@Suite struct BenchDataTests {
    typealias CLI = CommandLineTests

    /// A bench of the 8×8 model that is over quickly.
    static let quickBench = ["bench", "Examples/digits8.swift-dsl", "--steps", "1", "--batch", "10"]
        + ["--inference-batch", "10", "--threads", "1"]

    @Test func benchReportsHowLongReadingTheDataTakes() throws {
        let fixtures = try DataFixtures()
        let data = try fixtures.writeNPZ("train.npz", count: 30, channels: 1, height: 8, width: 8, classes: 10)
        let result = try CLI.netc(Self.quickBench + ["--data", fixtures.path])
        #expect(result.status == 0, "\(result.errors)")
        let report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let load = try #require(report?["data"] as? [String: Any], "\(result.output)")
        #expect(load["path"] as? String == data)
        #expect(load["format"] as? String == "NumPy .npz")
        #expect(load["images"] as? Int == 30)
        #expect(load["labelled"] as? Bool == true)
        let size = try FileManager.default.attributesOfItem(atPath: data)[.size] as? Int
        #expect(load["bytes"] as? Int == size)
        let seconds = try #require(load["seconds"] as? [Double])
        #expect(seconds.count == 3 && seconds.allSatisfy { $0 > 0 })
        #expect(load["best_seconds"] as? Double == seconds.min())
    }

    @Test func benchChecksTheDataAgainstTheModel() throws {
        let fixtures = try DataFixtures()
        let images = try fixtures.writeIDX(prefix: "train", count: 20, height: 28, width: 28, gzip: true)
        let result = try CLI.netc(Self.quickBench + ["--data", images])
        #expect(result.status == 1)
        #expect(
            result.errors.hasPrefix(
                "\(images): error: Examples/digits8.swift-dsl expects 1×8×8 images (channels×height×width), this "
                    + "file holds 1×28×28"),
            "\(result.errors)")
        #expect(result.output.isEmpty, "nothing is measured: \(result.output)")
    }
}
