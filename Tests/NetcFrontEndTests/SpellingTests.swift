import Testing

@testable import NetcFrontEnd

@Suite struct SpellingTests {
    @Test(arguments: [
        ("kitten", "sitting", 3), ("", "abc", 3), ("abc", "abc", 0), ("BatchNom", "BatchNorm", 1),
        ("flaw", "lawn", 2),
    ])
    func editDistanceCountsInsertionsDeletionsAndSubstitutions(a: String, b: String, distance: Int) {
        #expect(Spelling.editDistance(Array(a), Array(b)) == distance)
    }

    @Test(arguments: [
        ("Relu", "ReLU"), ("conv2d", "Conv2D"), ("MaxPooling", "MaxPool"), ("Dropot", "Dropout"),
    ])
    func closeNamesAreSuggested(typo: String, meant: String) {
        #expect(Spelling.closestMatch(to: typo, among: Vocabulary.bodyNames) == meant)
    }

    @Test(arguments: ["Dense", "Softmax", "x"])
    func farNamesAreNot(name: String) {
        #expect(Spelling.closestMatch(to: name, among: Vocabulary.bodyNames) == nil)
    }
}
