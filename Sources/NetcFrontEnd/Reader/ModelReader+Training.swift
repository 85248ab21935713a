import NetcGraph
import SwiftSyntax

extension ModelReader {
    /// `Training { epochs(100) ... }`: each statement sets one field; unset fields stay `nil`.
    mutating func readTraining(_ call: FunctionCallExprSyntax) -> TrainingSpec {
        var training = TrainingSpec()
        if let first = call.arguments.first {
            // `Training(epochs: 3)` reads naturally but is not the language's form; show the block form.
            let example = "Training { \(first.label?.text ?? "epochs")(\(first.expression.trimmedDescription)) }"
            report(.trainingArguments(example: example), at: first)
        }
        guard let block = block(of: call, Vocabulary.training) else { return training }
        var firstLines: [String: Int] = [:]
        for item in block.statements {
            switch Statement(item) {
            case .call(let name, let call):
                guard let setting = Vocabulary.trainingSettings[name] else {
                    reportUnknownSetting(name, at: call)
                    continue
                }
                if let firstLine = firstLines[name] {
                    report(.duplicateSetting(name: name, firstLine: firstLine), at: call)
                    continue
                }
                firstLines[name] = line(of: call)
                _ = self.block(of: call, setting.signature)
                guard let arguments = match(call, setting.signature) else { continue }
                guard setting.accepts(arguments) else {
                    let found = call.arguments.map { $0.with(\.trailingComma, nil).trimmedDescription }.joined(
                        separator: ", ")
                    let value: Syntax = call.arguments.first.map { Syntax($0.expression) } ?? Syntax(call)
                    report(.invalidSetting(name: name, requirement: setting.requirement, found: found), at: value)
                    continue
                }
                setting.apply(&training, arguments)
                if name == "classNames" { classNamesCall = call }
            case .bareName(let name, let node):
                reportUnknownSetting(name, at: node)
            case .other(let found, let node):
                report(.notACall(found: found, expected: "a setting such as 'epochs(10)'"), at: node)
            }
        }
        return training
    }

    private mutating func reportUnknownSetting(_ name: String, at node: some SyntaxProtocol) {
        if node.is(DeclReferenceExprSyntax.self) && Vocabulary.trainingSettings[name] != nil {
            report(.notACall(found: "'\(name)'", expected: "a value: '\(name)(...)'"), at: node)
            return
        }
        let suggestion = Spelling.closestMatch(to: name, among: Vocabulary.trainingSettingNames)
        report(.unknownName(name: name, kind: "training setting", suggestion: suggestion), at: node)
    }
}
