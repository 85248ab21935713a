import Foundation
import Testing

@testable import NetcRuntime

@Suite struct PredictionTests {
    @Test func submissionIsKaggleFormatWithImageIdsFromOne() {
        #expect(Submission.csv(labels: [7, 2, 1]) == "ImageId,Label\n1,7\n2,2\n3,1\n")
    }

    @Test func averagesLogitsOrProbabilities() {
        // Two models, one image, two classes: logits (10, 0) and (−1, 0). Mean logits (4.5, 0); mean probability
        // of class 0 is (σ(10) + σ(−1)) / 2.
        let prediction = EnsemblePrediction(memberLogits: [[10, 0], [-1, 0]], classes: 2, average: .logits)
        #expect(prediction.scores == [4.5, 0])
        #expect(prediction.labels == [0])
        let probabilities = EnsemblePrediction(memberLogits: [[10, 0], [-1, 0]], classes: 2, average: .probs)
        let expected = (1 / (1 + exp(-10.0)) + 1 / (1 + exp(1.0))) / 2
        #expect(abs(probabilities.scores[0] - expected) < 1e-12)
        #expect(prediction.labels(ofMember: 1) == [1])
    }

    @Test func evaluationCountsConfusionsPerClass() {
        let evaluation = Evaluation(predictions: [0, 1, 1, 2, 2, 2], labels: [0, 1, 2, 2, 2, 1], classes: 3)
        #expect(evaluation.confusion == [[1, 0, 0], [0, 1, 1], [0, 1, 2]])
        #expect(abs(evaluation.accuracy - 4.0 / 6) < 1e-12)
        #expect(evaluation.classAccuracies == [1, 0.5, 2.0 / 3])
    }

    @Test func confusionTableNamesClassesWhenTheModelDoes() {
        let evaluation = Evaluation(predictions: [0, 1, 1], labels: [0, 1, 0], classes: 2)
        #expect(
            evaluation.confusionTable()
                == "truth\\pred    0    1      acc\n         0    1    1   50.00%\n         1    0    1  100.00%\n")
        #expect(
            evaluation.confusionTable(classes: ClassNaming(["T-shirt/top", "Trouser"]))
                == "    truth\\pred    0    1      acc\n 0 T-shirt/top    1    1   50.00%\n     1 Trouser    0    1  100.00%\n"
        )
    }
}
