import NetcFrontEnd
import NetcGraph
import Testing

/// A model with one mistake: the marked source and the message expected at the marker.
struct MistakeCase: CustomTestStringConvertible, Sendable {
    let name: String
    let marked: String
    let message: String

    var testDescription: String { name }
}

/// Mistakes inside a network's block (wrapped by `network(_:)`).
private let layerMistakes: [MistakeCase] = [
    MistakeCase(
        name: "unknown layer", marked: network("⟨here⟩BatchNom()"),
        message: "unknown layer 'BatchNom'; did you mean 'BatchNorm'?"),
    MistakeCase(
        name: "unknown layer, nothing close", marked: network("⟨here⟩Softmax()"),
        message: "unknown layer 'Softmax'"),
    MistakeCase(
        name: "layer without parentheses", marked: network("⟨here⟩Flatten"),
        message: "'Flatten' must be called: write Flatten()"),
    MistakeCase(
        name: "statement that is not a call", marked: network("⟨here⟩let k = 3"),
        message: "expected a layer such as 'ReLU()', found variable declaration 'let k = 3'"),
    MistakeCase(
        name: "unknown argument label", marked: network("Conv2D(8, kernel: 3, ⟨here⟩strides: 2)"),
        message: "'Conv2D' has no argument 'strides:'; did you mean 'stride:'?"),
    MistakeCase(
        name: "unknown argument label, nothing close", marked: network("MaxPool(2, ⟨here⟩dilation: 2)"),
        message: "'MaxPool' has no argument 'dilation:'; its labels are 'stride:', 'padding:'"),
    MistakeCase(
        name: "missing labelled argument", marked: network("⟨here⟩Conv2D(8, padding: 1)"),
        message: "missing argument 'kernel:' in call to 'Conv2D'; "
            + "write Conv2D(outChannels, kernel:, stride: 1, padding: 0, dilation: 1, groups: 1, bias: true)"),
    MistakeCase(
        name: "missing unlabelled argument", marked: network("⟨here⟩Dropout()"),
        message: "missing argument 'p' in call to 'Dropout'; write Dropout(p)"),
    MistakeCase(
        name: "string where an integer is expected", marked: network(#"Conv2D(8, kernel: ⟨here⟩"3")"#),
        message: #"expected an integer for 'kernel:', found string literal "3""#),
    MistakeCase(
        name: "float where an integer is expected", marked: network("MaxPool(⟨here⟩2.5)"),
        message: "expected an integer for 'size', found floating-point literal 2.5"),
    MistakeCase(
        name: "integer where a boolean is expected", marked: network("Linear(10, bias: ⟨here⟩1)"),
        message: "expected 'true' or 'false' for 'bias:', found integer literal 1"),
    MistakeCase(
        name: "variable", marked: network("Conv2D(8, kernel: ⟨here⟩k)"),
        message: "expected an integer for 'kernel:', found identifier 'k'; only literal values are allowed"),
    MistakeCase(
        name: "arithmetic", marked: network("Conv2D(⟨here⟩2 * 8, kernel: 3)"),
        message: "expected an integer for 'outChannels', found expression '2 * 8'; only literal values are allowed"),
    MistakeCase(
        name: "function call", marked: network("Dropout(⟨here⟩min(0.5, 1))"),
        message: "expected a number for 'p', found function call 'min(0.5, 1)'; only literal values are allowed"),
    MistakeCase(
        name: "interpolated string", marked: network(#"Sequential(⟨here⟩"conv\(1)") { ReLU() }"#),
        message: #"expected a string for 'name', found interpolated string "conv\(1)"; "#
            + "only literal values are allowed"),
    MistakeCase(
        name: "integer too large", marked: network("Linear(⟨here⟩99_999_999_999_999_999_999)"),
        message: "the literal '99_999_999_999_999_999_999' is too large"),
    MistakeCase(
        name: "duplicated argument", marked: network("Conv2D(8, kernel: 3, ⟨here⟩kernel: 5)"),
        message: "argument 'kernel:' is given twice in call to 'Conv2D'"),
    MistakeCase(
        name: "label on an unlabelled argument", marked: network("Conv2D(⟨here⟩outChannels: 8, kernel: 3)"),
        message: "extraneous argument label 'outChannels:' in call to 'Conv2D'; write the value without a label"),
    MistakeCase(
        name: "missing argument label", marked: network("Conv2D(8, ⟨here⟩3)"),
        message: "missing argument label 'kernel:' in call to 'Conv2D'"),
    MistakeCase(
        name: "extra argument", marked: network("ReLU(⟨here⟩0)"),
        message: "extra argument in call to 'ReLU'"),
    MistakeCase(
        name: "Sequential without a block", marked: network(#"⟨here⟩Sequential("a")"#),
        message: "missing block: write Sequential(name) { ... }"),
    MistakeCase(
        name: "block on a plain layer", marked: network("ReLU() ⟨here⟩{ }"),
        message: "'ReLU' does not take a block '{ ... }'"),
    MistakeCase(
        name: "block with parameters", marked: network(#"Sequential("a") { ⟨here⟩x in ReLU() }"#),
        message: "a block here takes no parameters; remove everything up to and including 'in'"),
    MistakeCase(
        name: "nested Network", marked: network(#"⟨here⟩Network("inner") { }"#),
        message: "'Network' cannot be nested; a file describes one network"),
    MistakeCase(
        name: "Branch outside Concat", marked: network(#"Sequential("a") { ⟨here⟩Branch { ReLU() } }"#),
        message: #"'Branch' belongs directly inside a 'Concat' block: Concat("name") { Branch { ... } Branch { ... } }"#
    ),
    MistakeCase(
        name: "layer directly in Concat", marked: network(#"Concat("mix") { Branch { ReLU() }; ⟨here⟩ReLU() }"#),
        message: "a 'Concat' block holds only 'Branch { ... }' blocks, one per path, found 'ReLU'; "
            + "wrap the layers of each path in 'Branch { ... }'"),
    MistakeCase(
        name: "misspelled shortcut block", marked: network(#"Residual("r") { ReLU() } ⟨here⟩shortcuts: { ReLU() }"#),
        message: "'Residual' has no block 'shortcuts: { ... }'; its labelled blocks are 'shortcut:'"),
    MistakeCase(
        name: "Residual without a block", marked: network(#"⟨here⟩Residual("r")"#),
        message: "missing block: write Residual(name) { ... } shortcut: { ... }"),
    MistakeCase(
        name: "Training inside a Residual",
        marked: network(#"Residual("r") {\#n    ⟨here⟩Training { epochs(1) }\#n}"#),
        message: "'Training' belongs directly in the 'Network' block, not inside a 'Residual'"),
    MistakeCase(
        name: "misspelled new layer", marked: network("⟨here⟩Gelu()"),
        message: "unknown layer 'Gelu'; did you mean 'GELU'?"),
]

/// Mistakes in a `Training` block or in where it is written.
private let trainingMistakes: [MistakeCase] = [
    MistakeCase(
        name: "unknown training setting", marked: network("Training {\n    ⟨here⟩epoch(3)\n}"),
        message: "unknown training setting 'epoch'; did you mean 'epochs'?"),
    MistakeCase(
        name: "setting given twice", marked: network("Training {\n    seed(1)\n    ⟨here⟩seed(2)\n}"),
        message: "'seed' is set twice in 'Training' (the first is on line 3)"),
    MistakeCase(
        name: "zero epochs", marked: network("Training {\n    epochs(⟨here⟩0)\n}"),
        message: "'epochs' must be at least 1, found 0"),
    MistakeCase(
        name: "negative learning rate", marked: network("Training { learningRate(⟨here⟩-1e-3) }"),
        message: "'learningRate' must be greater than 0, found -1e-3"),
    MistakeCase(
        name: "unknown optimizer", marked: network("Training { optimizer(⟨here⟩.adamW) }"),
        message: "unknown optimizer '.adamW'; did you mean '.adamw'?"),
    MistakeCase(
        name: "label smoothing above 1", marked: network("Training { labelSmoothing(⟨here⟩1.5) }"),
        message: "'labelSmoothing' must be within 0.0...1.0, found 1.5"),
    MistakeCase(
        name: "moving average decay of 1", marked: network("Training { emaDecay(⟨here⟩1) }"),
        message: "'emaDecay' must be within 0.0..<1.0, found 1"),
    MistakeCase(
        name: "time budget without a unit", marked: network("Training { timeBudget(⟨here⟩\"30\") }"),
        message: "'timeBudget' must be a duration such as '30m', '1h30m', '90s' or '1.5h', found \"30\""),
    MistakeCase(
        name: "time budget as a number", marked: network("Training { timeBudget(⟨here⟩30) }"),
        message: "expected a string for 'timeBudget', found integer literal 30"),
    MistakeCase(
        name: "schedule that is not a name", marked: network("Training { schedule(⟨here⟩1) }"),
        message: "expected '.constant', '.cosine' or '.onecycle' for 'schedule', found integer literal 1"),
    MistakeCase(
        name: "rotation beyond half a turn", marked: network("Training { rotation(⟨here⟩200) }"),
        message: "'rotation' must be within 0.0...180.0, found 200"),
    MistakeCase(
        name: "scale range upside down", marked: network("Training { scale(⟨here⟩1.1, 0.9) }"),
        message: "'scale' must be two factors 0 < low <= high, found 1.1, 0.9"),
    MistakeCase(
        name: "perspective probability above 1", marked: network("Training { perspective(⟨here⟩0.1, probability: 2) }"),
        message:
            "'perspective' must be a distortion within 0..<1 with a probability within 0...1, found 0.1, probability: 2"
    ),
    MistakeCase(
        name: "class names repeated", marked: network(#"Training { classNames(⟨here⟩["a", "a"]) }"#),
        message: #"'classNames' must be a list of distinct, non-empty names, found ["a", "a"]"#),
    MistakeCase(
        name: "class names that are not strings", marked: network(#"Training { classNames(⟨here⟩["a", 2]) }"#),
        message: "expected a string for 'an element of classNames', found integer literal 2"),
    MistakeCase(
        name: "fewer class names than classes", marked: network(#"Training { ⟨here⟩classNames(["cat", "dog"]) }"#),
        message: "'classNames' gives 2 names, but the network has 10 classes"),
    MistakeCase(
        name: "Training with labelled arguments", marked: network("Training(⟨here⟩epochs: 3) { }"),
        message: "'Training' takes its settings in its block, one per line: Training { epochs(3) }"),
    MistakeCase(
        name: "Training inside Sequential",
        marked: network(#"Sequential("a") {\#n    ⟨here⟩Training { epochs(1) }\#n}"#),
        message: "'Training' belongs directly in the 'Network' block, not inside a 'Sequential'"),
    MistakeCase(
        name: "two Training blocks", marked: network("Training { epochs(1) }\n⟨here⟩Training { seed(1) }"),
        message: "more than one 'Training' block (the first is on line 2); put all settings in one block"),
]

/// Mistakes in the shape of the file.
private let fileMistakes: [MistakeCase] = [
    MistakeCase(
        name: "no Network", marked: "⟨here⟩// Only a comment.\n",
        message: "no 'Network' in this file; a model file describes one network: "
            + #"Network("name", input: Image(channels: 1, height: 28, width: 28), classes: 10) { ... }"#),
    MistakeCase(
        name: "two Networks",
        marked: network("ReLU()") + "\n"
            + #"⟨here⟩Network("b", input: Image(channels: 1, height: 1, width: 1), classes: 2) {}"#,
        message: "more than one 'Network' in this file (the first is on line 1); a model file describes one network"),
    MistakeCase(
        name: "misspelled Network",
        marked: #"⟨here⟩Netwrk("a", input: Image(channels: 1, height: 1, width: 1), classes: 2) { }"#,
        message: "unknown name 'Netwrk'; did you mean 'Network'?"),
    MistakeCase(
        name: "layer outside the Network", marked: network("ReLU()") + "\n⟨here⟩ReLU()",
        message: "'ReLU' must be inside the 'Network' block"),
    MistakeCase(
        name: "Training outside the Network", marked: network("ReLU()") + "\n⟨here⟩Training { epochs(1) }",
        message: "'Training' goes inside the 'Network' block, next to the layers"),
    MistakeCase(
        name: "top-level statement that is not a call", marked: "⟨here⟩import Foundation\n" + network("ReLU()"),
        message: "expected 'Network(...)', found import declaration"),
    MistakeCase(
        name: "Network without a block",
        marked: #"⟨here⟩Network("a", input: Image(channels: 1, height: 1, width: 1), classes: 2)"#,
        message: "missing block: write Network(name, input:, classes:) { ... }"),
    MistakeCase(
        name: "input that is not an Image",
        marked: #"Network("a", input: ⟨here⟩[1, 28, 28], classes: 2) { }"#,
        message:
            "expected an image shape 'Image(channels:, height:, width:)' for 'input:', found array literal '[1, 28, 28]'"
    ),
    MistakeCase(
        name: "input given by a variable",
        marked: #"Network("a", input: ⟨here⟩mnist, classes: 2) { }"#,
        message: "expected an image shape 'Image(channels:, height:, width:)' for 'input:', found identifier 'mnist'; "
            + "only literal values are allowed"),
    MistakeCase(
        name: "Image missing an argument",
        marked: #"Network("a", input: ⟨here⟩Image(channels: 1, height: 1), classes: 2) { }"#,
        message: "missing argument 'width:' in call to 'Image'; write Image(channels:, height:, width:)"),
    MistakeCase(
        name: "Swift syntax error", marked: network("Conv2D(8, kernel: 3⟨here⟩\nReLU()"),
        message: "expected ')' to end function call"),
    MistakeCase(
        name: "square brackets nested too deep",
        marked: network("Linear(10, bias: [[[[[[[[⟨here⟩[[[true]]]]]]]]]])"),
        message: "square brackets nested more than 8 deep; a model file lists values in one flat array at most"),
]

@Suite struct DiagnosticsTests {
    @Test(arguments: layerMistakes + trainingMistakes + fileMistakes)
    func mistakeIsReportedAtTheMarkedPosition(_ mistake: MistakeCase) throws {
        let marked = MarkedSource(mistake.marked)
        let position = try #require(marked.positions.first)
        let found = diagnostics(of: marked.source)
        #expect(
            found == [
                FrontEndDiagnostic(
                    at: SourceLocation(file: "model.swift-dsl", line: position.line, column: position.column),
                    mistake.message)
            ])
    }

    @Test func everyMistakeInAFileIsReportedInSourceOrder() {
        let marked = MarkedSource(
            network(
                """
                Conv2D(8, kernel: ⟨here⟩"3")
                ⟨here⟩BatchNom()
                Sequential("a") {
                    Dropout(⟨here⟩p)
                }
                """))
        let found = diagnostics(of: marked.source)
        #expect(found.map { [$0.location.line, $0.location.column] } == marked.positions.map { [$0.line, $0.column] })
    }

    @Test func squareBracketsInCommentsAndStringsAndUpToTheLimitAreNotNesting() {
        let brackets = String(repeating: "[", count: 12)
        let text = network(
            "// \(brackets)\n/* /* \(brackets) */ \(brackets) */\n"
                + #"Sequential("\#(brackets)\"") { ReLU() }"# + "\nLinear(10, bias: [[[[[[[[true]]]]]]]])")
        let found = diagnostics(of: ModelSource(path: "model.swift-dsl", text: text))
        #expect(found.map(\.location.line) == [5], "\(found)")
        #expect(found.allSatisfy { !$0.message.contains("nested") }, "\(found)")
    }

    @Test func squareBracketsNestedTooDeepRenderWithoutParsing() throws {
        let text = network("Linear(10, bias: " + String(repeating: "[", count: 200) + "true)")
        let source = ModelSource(path: "model.swift-dsl", text: text)
        let found = diagnostics(of: source)
        #expect(found.count == 1)
        #expect(source.render(found).hasPrefix("model.swift-dsl:2:"), "\(source.render(found))")
    }

    @Test func everySyntaxErrorIsReported() {
        let marked = MarkedSource(#"Network("a"⟨here⟩ {"# + "\n    ReLU(⟨here⟩\n")
        let found = diagnostics(of: marked.source)
        #expect(
            found.map(\.message) == [
                "expected ')' in function call", "expected value and ')' to end function call",
                "expected '}' to end closure",
            ])
        #expect(
            found.map { [$0.location.line, $0.location.column] } == [
                [marked.positions[0].line, marked.positions[0].column],
                [marked.positions[1].line, marked.positions[1].column],
                [marked.positions[1].line, marked.positions[1].column],
            ])
    }
}
