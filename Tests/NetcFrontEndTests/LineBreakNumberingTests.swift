import NetcFrontEnd
import NetcGraph
import Testing

/// Lines are numbered the way Swift and swift-syntax number them: a lone carriage return ends a line, CR LF is
/// one break. The bracket-nesting guard scans bytes before swift-syntax does, so it must count the same (the
/// model fuzzer found it counting `\n` alone, pointing past the end of a shorter line).
@Suite struct LineBreakNumberingTests {
    @Test func tooDeepBracketsAfterCarriageReturnsAreLocatedAsSwiftCountsLines() {
        let text =
            "// one\r// two\r\n"
            + "Network(\"a\", input: Image(channels: 1, height: 1, width: 1), classes: 2) {\n"
            + "    Linear(10, bias: [[[[[[[[[[[true]]]]]]]]]]])\n}\n"
        // Line 4 is the Linear line; its first '[' is column 22, the ninth column 30.
        let found = diagnostics(of: ModelSource(path: "model.swift-dsl", text: text))
        #expect(found.map(\.location) == [SourceLocation(file: "model.swift-dsl", line: 4, column: 30)])
    }
}
