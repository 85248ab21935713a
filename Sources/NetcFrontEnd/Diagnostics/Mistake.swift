/// Every mistake the front end reports, with its words: the one place the module's message text lives.
///
/// Messages say what was found, what was expected and, when one is likely, the fix.
enum Mistake: Error, Equatable {
    // The shape of the file.
    case missingNetwork
    case duplicateNetwork(firstLine: Int)
    case notACall(found: String, expected: String)
    case uncalled(name: String, usage: String)
    case unknownName(name: String, kind: String, suggestion: String?)
    case misplaced(name: String, rule: String)
    case notABranch(found: String)
    case duplicateTraining(firstLine: Int)
    case duplicateSetting(name: String, firstLine: Int)
    case trainingArguments(example: String)
    // Blocks.
    case missingBlock(usage: String)
    case unexpectedBlock(callee: String, label: String?, labels: [String])
    case blockParameters
    // Arguments.
    case unknownLabel(callee: String, label: String, suggestion: String?, labels: [String])
    case extraneousLabel(callee: String, label: String)
    case missingLabel(callee: String, label: String)
    case extraArgument(callee: String)
    case duplicateArgument(callee: String, label: String)
    case missingArgument(callee: String, parameter: String, usage: String)
    // Values.
    case wrongType(expected: String, parameter: String, found: String)
    case notALiteral(expected: String, parameter: String, found: String)
    case unknownChoice(noun: String, name: String, suggestion: String?, allowed: String)
    case literalTooLarge(literal: String)
    case invalidSetting(name: String, requirement: String, found: String)
    case classNamesCount(found: Int, classes: Int)

    /// The message shown after `error:`.
    var message: String {
        switch self {
        case .missingNetwork:
            "no 'Network' in this file; a model file describes one network: "
                + "Network(\"name\", input: Image(channels: 1, height: 28, width: 28), classes: 10) { ... }"
        case .duplicateNetwork(let firstLine):
            "more than one 'Network' in this file (the first is on line \(firstLine)); "
                + "a model file describes one network"
        case .notACall(let found, let expected):
            "expected \(expected), found \(found)"
        case .uncalled(let name, let usage):
            "'\(name)' must be called: write \(usage)"
        case .unknownName(let name, let kind, let suggestion):
            "unknown \(kind) '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .misplaced(let name, let rule):
            "'\(name)' \(rule)"
        case .notABranch(let found):
            "a 'Concat' block holds only 'Branch { ... }' blocks, one per path, found \(found); "
                + "wrap the layers of each path in 'Branch { ... }'"
        case .duplicateTraining(let firstLine):
            "more than one 'Training' block (the first is on line \(firstLine)); put all settings in one block"
        case .duplicateSetting(let name, let firstLine):
            "'\(name)' is set twice in 'Training' (the first is on line \(firstLine))"
        case .trainingArguments(let example):
            "'Training' takes its settings in its block, one per line: \(example)"
        case .missingBlock(let usage):
            "missing block: write \(usage)"
        case .unexpectedBlock(let callee, nil, _):
            "'\(callee)' does not take a block '{ ... }'"
        case .unexpectedBlock(let callee, let label?, let labels):
            "'\(callee)' has no block '\(label): { ... }'"
                + (labels.isEmpty
                    ? "; it takes one block"
                    : "; its labelled blocks are " + labels.map { "'\($0):'" }.joined(separator: ", "))
        case .blockParameters:
            "a block here takes no parameters; remove everything up to and including 'in'"
        case .unknownLabel(let callee, let label, let suggestion, let labels):
            "'\(callee)' has no argument '\(label):'" + labelHint(suggestion: suggestion, labels: labels)
        case .extraneousLabel(let callee, let label):
            "extraneous argument label '\(label):' in call to '\(callee)'; write the value without a label"
        case .missingLabel(let callee, let label):
            "missing argument label '\(label):' in call to '\(callee)'"
        case .extraArgument(let callee):
            "extra argument in call to '\(callee)'"
        case .duplicateArgument(let callee, let label):
            "argument '\(label):' is given twice in call to '\(callee)'"
        case .missingArgument(let callee, let parameter, let usage):
            "missing argument '\(parameter)' in call to '\(callee)'; write \(usage)"
        case .wrongType(let expected, let parameter, let found):
            "expected \(expected) for '\(parameter)', found \(found)"
        case .notALiteral(let expected, let parameter, let found):
            "expected \(expected) for '\(parameter)', found \(found); only literal values are allowed"
        case .unknownChoice(let noun, let name, let suggestion, let allowed):
            "unknown \(noun) '.\(name)'" + (suggestion.map { "; did you mean '.\($0)'?" } ?? "; expected \(allowed)")
        case .literalTooLarge(let literal):
            "the literal '\(literal)' is too large"
        case .invalidSetting(let name, let requirement, let found):
            "'\(name)' must be \(requirement), found \(found)"
        case .classNamesCount(let found, let classes):
            "'classNames' gives \(found) \(found == 1 ? "name" : "names"), but the network has \(classes) classes"
        }
    }

    private func labelHint(suggestion: String?, labels: [String]) -> String {
        if let suggestion { return "; did you mean '\(suggestion):'?" }
        if labels.isEmpty { return "; it takes no labelled arguments" }
        return "; its labels are " + labels.map { "'\($0):'" }.joined(separator: ", ")
    }
}
