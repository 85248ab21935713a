import Foundation
import NetcFrontEnd
import NetcGraph
import Testing

/// Thousands of seeded random edits of the example model files, of the kinds people make: truncation, lines
/// deleted, repeated or swapped, stray brackets and quotes, numbers replaced by zero, negative or huge ones.
/// Each edited file must parse and build (graph and training step), or be rejected with diagnostics or a
/// `ModelError` located in the file. `tools/fuzz` runs the same checks with libFuzzer for longer.
@Suite struct FuzzModelSourceTests {
    static let path = "fuzz.swift-dsl"

    @Test(arguments: ["small-cnn.swift-dsl", "mnist-cnn.swift-dsl"])
    func editedModelFileBuildsOrIsRejectedWithALocation(example: String) throws {
        let original = try String(contentsOfFile: examplePath(example), encoding: .utf8)
        var editor = TextEditor(seed: UInt64(example.count))
        for iteration in 0..<400 {
            let text = editor.edited(original)
            let context = "iteration \(iteration) of \(example):\n\(text)"
            let source = ModelSource(path: Self.path, text: text)
            let spec: NetworkSpec
            do {
                spec = try FrontEnd.parse(source)
            } catch {
                let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
                #expect(!error.diagnostics.isEmpty, "\(context)")
                for diagnostic in error.diagnostics {
                    #expect((1...lineCount).contains(diagnostic.location.line), "\(diagnostic) in \(context)")
                    #expect(diagnostic.location.column >= 1, "\(diagnostic) in \(context)")
                }
                continue
            }
            do {
                let model = try NetworkModel(spec, batchSize: 1, mode: .training)
                #expect(!model.trainingStep(optimizer: .adam(AdamAttributes())).nodes.isEmpty)
            } catch {
                #expect(error.location?.file == Self.path, "\(error) in \(context)")
            }
        }
    }

    @Test func deeplyNestedGroupsAreRejectedWithALocation() {
        let depth = 1000
        let text =
            "Network(\"deep\", input: Image(channels: 1, height: 8, width: 8), classes: 10) {\n"
            + String(repeating: "Sequential(\"g\") {\n", count: depth) + "ReLU()\n"
            + String(repeating: "}\n", count: depth) + "Flatten()\nLinear(10)\n}\n"
        let error = #expect(throws: (any Error).self) {
            let spec = try FrontEnd.parse(ModelSource(path: Self.path, text: text))
            _ = try NetworkModel(spec, batchSize: 1, mode: .training)
        }
        let location = (error as? FrontEndError)?.diagnostics.first?.location ?? (error as? ModelError)?.location
        #expect(location?.file == Self.path, "\(String(describing: error))")
    }
}

/// Seeded random edits of model source text.
private struct TextEditor: RandomNumberGenerator {
    private let philox: Philox
    private var index: UInt32 = 0

    init(seed: UInt64) {
        philox = Philox(seed: seed)
    }

    mutating func next() -> UInt64 {
        defer { index += 2 }
        return UInt64(philox.word(stream: 0, step: 0, index: index)) << 32
            | UInt64(philox.word(stream: 0, step: 0, index: index + 1))
    }

    /// `text` after one to three random edits.
    mutating func edited(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<Int.random(in: 1...3, using: &self) { edit(&lines) }
        return lines.joined(separator: "\n")
    }

    private mutating func edit(_ lines: inout [String]) {
        let line = Int.random(in: 0..<lines.count, using: &self)
        let other = Int.random(in: 0..<lines.count, using: &self)
        switch Int.random(in: 0..<6, using: &self) {
        case 0:
            lines[line] = String(lines[line].prefix(Int.random(in: 0...lines[line].count, using: &self)))
            lines.removeSubrange((line + 1)...)
        case 1 where lines.count > 1:
            lines.remove(at: line)
        case 2:
            lines.insert(lines[line], at: other)
        case 3:
            lines.swapAt(line, other)
        case 4:
            let characters = Array(lines[line])
            let cut = Int.random(in: 0...characters.count, using: &self)
            let snippet = Self.snippets.randomElement(using: &self) ?? ""
            lines[line] = String(characters[..<cut]) + snippet + String(characters[cut...])
        default:
            lines[line] = replacingANumber(in: lines[line])
        }
    }

    /// `line` with one integer literal replaced by an awkward value, if it has one.
    private mutating func replacingANumber(in line: String) -> String {
        let numbers = line.ranges(of: /[0-9][0-9_]*/)
        guard let range = numbers.randomElement(using: &self) else { return line }
        return line.replacingCharacters(in: range, with: Self.numbers.randomElement(using: &self) ?? "0")
    }

    private static let snippets = [
        "{", "}", "(", ")", ",", ":", "\"", "//", "/*", "Sequential(\"x\") {", "Conv2D(", "ReLU()", "Linear(10)",
        "Training {", "epochs(", ".adam", "\u{0}", "é", "#if", "@", "\\(",
    ]

    private static let numbers = [
        "0", "-1", "1_000_000_000", "2147483648", "9223372036854775807", "99999999999999999999", "0x7fff_ffff",
        "1e308", "1e999", "0.5",
    ]
}

/// The path of an example shipped in `Examples/`.
private func examplePath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/\(name)").path
}
