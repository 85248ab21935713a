import Testing

@testable import NetcRuntime

@Suite struct FoldSplitTests {
    @Test(arguments: [(10, 2), (103, 5), (42_000, 5), (7, 7)])
    func foldsAreDisjointCompleteAndBalanced(count: Int, folds: Int) {
        let split = FoldSplit(count: count, folds: folds, seed: 9)
        var seen = [Int](repeating: 0, count: count)
        for fold in 0..<folds {
            let validation = split.validation(fold: fold)
            let training = split.training(fold: fold)
            #expect(validation.count + training.count == count)
            #expect(Set(validation).isDisjoint(with: training))
            // scikit-learn's sizes: the first count % folds folds hold one more.
            #expect(validation.count == count / folds + (fold < count % folds ? 1 : 0))
            for index in validation { seen[index] += 1 }
        }
        #expect(seen.allSatisfy { $0 == 1 })
    }

    @Test func sameSeedSameSplitOtherSeedOtherSplit() {
        let a = FoldSplit(count: 1000, folds: 5, seed: 1)
        #expect(a == FoldSplit(count: 1000, folds: 5, seed: 1))
        #expect(a.permutation != FoldSplit(count: 1000, folds: 5, seed: 2).permutation)
        #expect(a.permutation != Array(0..<1000))
    }

    @Test func shuffleIsAPermutationSpreadAcrossPositions() {
        let shuffled = FoldSplit.shuffled(Array(0..<10_000), seed: 5, stream: 1, step: 0)
        #expect(shuffled.sorted() == Array(0..<10_000))
        // Elements land far from where they started: a fixed point count near 1 and a mean move near n/3.
        #expect(zip(shuffled, 0...).filter { $0 == $1 }.count < 10)
        let meanMove = zip(shuffled, 0...).map { abs($0 - $1) }.reduce(0, +) / 10_000
        #expect(abs(meanMove - 3_333) < 150)
    }
}
