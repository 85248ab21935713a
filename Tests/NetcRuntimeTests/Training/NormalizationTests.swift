import Foundation
import NetcGraph
import NetcInterpreter
import Testing

@testable import NetcRuntime

@Suite struct NormalizationTests {
    /// Two 3×1×2 images: red 0/255 alternating, green always 51, blue 255 in one pixel of four.
    static let colour = Dataset(
        shape: ImageShape(channels: 3, height: 1, width: 2),
        pixels: .uint8([0, 255, 51, 51, 0, 0, 0, 255, 51, 51, 0, 255]), labels: nil)

    @Test func fitsPopulationMeanAndStandardDeviationOfScaledPixels() {
        // Pixels 0 and 255 in equal numbers: mean 0.5, population std 0.5.
        let data = Dataset(
            shape: ImageShape(channels: 1, height: 2, width: 2), pixels: .uint8([0, 255, 0, 255]), labels: nil)
        let normalization = Normalization(fitting: data)
        #expect(normalization.mean == [0.5])
        #expect(normalization.std == [0.5])
    }

    @Test func fitsEachChannelOnItsOwn() throws {
        let normalization = Normalization(fitting: Self.colour)
        // By hand: red {0, 1, 0, 1}; green {0.2} × 4, which never varies; blue {0, 0, 0, 1}: mean 0.25,
        // variance 0.25 · 0.75.
        let expectedMean = [0.5, 0.2, 0.25]
        let expectedStd = [0.5, 1e-12, (0.25 * 0.75).squareRoot()]
        for channel in 0..<3 {
            #expect(abs(normalization.mean[channel] - expectedMean[channel]) < 1e-12)
            #expect(abs(normalization.std[channel] - expectedStd[channel]) < 1e-12)
        }
    }

    @Test func floatDataIsTakenAsItIs() {
        let data = Dataset(
            shape: ImageShape(channels: 1, height: 1, width: 2), pixels: .float32([0.25, 0.75]), labels: nil)
        let normalization = Normalization(fitting: data)
        #expect(normalization.mean == [0.5])
        #expect(normalization.std == [0.25])
    }

    @Test func batchesAreNormalisedChannelByChannel() throws {
        let normalization = Normalization(mean: [0.5, 0.2, 0.25], std: [0.5, 0.1, 0.5])
        let assembler = BatchAssembler(data: Self.colour, batchSize: 3, normalization: normalization)
        let batch = assembler.images(
            [1], on: try Interpreter(precision: .float32).prepare(Graph(), seed: 0), pixels: assembler.rawPixels)
        #expect(batch.shape == [3, 3, 1, 2])
        // Image 1 by hand: red (0 − 0.5)/0.5, (1 − 0.5)/0.5; green (0.2 − 0.2)/0.1 twice; blue 0 then 1, each
        // (v − 0.25)/0.5; the two padding images are zeros.
        let expected = [-1.0, 1, 0, 0, -0.5, 1.5] + [Double](repeating: 0, count: 12)
        #expect(zip(batch.scalars, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(batch.scalars)")
    }

    @Test func oneChannelIsStoredAsNumbersAndSeveralAsLists() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let single = Normalization(mean: 0.5, std: 0.25)
        #expect(String(decoding: try encoder.encode(single), as: UTF8.self) == #"{"mean":0.5,"std":0.25}"#)
        let three = Normalization(mean: [0.5, 0.25, 0.125], std: [1, 2, 4])
        #expect(
            String(decoding: try encoder.encode(three), as: UTF8.self) == #"{"mean":[0.5,0.25,0.125],"std":[1,2,4]}"#)
        for normalization in [single, three] {
            #expect(try JSONDecoder().decode(Normalization.self, from: encoder.encode(normalization)) == normalization)
            #expect(Normalization(metadata: normalization.metadata) == normalization)
        }
        #expect(three.metadata == ["normalization_mean": "0.5,0.25,0.125", "normalization_std": "1.0,2.0,4.0"])
        #expect(single.metadata == ["normalization_mean": "0.5", "normalization_std": "0.25"])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Normalization.self, from: Data(#"{"mean":[0.5,0.5],"std":[1]}"#.utf8))
        }
        #expect(Normalization(metadata: ["normalization_mean": "0.5,x", "normalization_std": "1,1"]) == nil)
    }

    @Test func oneChannelBroadcastsToAnyOther() {
        #expect(
            Normalization(mean: 0.5, std: 0.5).broadcast(to: 3)
                == Normalization(mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5]))
        #expect(Normalization(mean: [0.1, 0.2], std: [1, 1]).broadcast(to: 3) == nil)
    }
}
