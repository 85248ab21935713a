import NetcGraph
import SwiftSyntax

extension ModelReader {
    /// Checks a call's arguments against `signature` and returns their values with defaults filled in, or
    /// `nil` when any is wrong (every mistake is reported).
    ///
    /// Unlabelled arguments fill the unlabelled parameters in order; labelled ones may come in any order.
    mutating func match(_ call: FunctionCallExprSyntax, _ signature: Signature) -> Arguments? {
        let callee = signature.name
        var labelsToSuggest = signature.parameters.filter(\.isLabelled).map(\.name)
        labelsToSuggest.removeAll { label in call.arguments.contains { $0.label?.text == label } }
        var values: [String: Value] = [:]
        // Parameters the call attempted to give, rightly or not: not reported again as missing.
        var attempted: Set<String> = []
        var isValid = true
        for argument in call.arguments {
            guard
                let parameter = parameter(
                    for: argument, in: signature, attempted: &attempted, labelsToSuggest: &labelsToSuggest)
            else {
                isValid = false
                continue
            }
            if let value = value(of: argument.expression, for: parameter) {
                values[parameter.name] = value
            } else {
                isValid = false
            }
        }
        for parameter in signature.parameters where !attempted.contains(parameter.name) {
            switch parameter.defaultValue {
            case .required:
                report(.missingArgument(callee: callee, parameter: parameter.spelled, usage: signature.usage), at: call)
                isValid = false
            case .value(let value):
                values[parameter.name] = value
            case .sameAs(let other):
                values[parameter.name] = values[other]
            }
        }
        return isValid ? Arguments(values: values) : nil
    }

    /// The parameter an argument gives, or `nil` with the mistake reported. An unlabelled argument takes the
    /// first unlabelled parameter not yet given; when none is left, the first label not written is suggested.
    private mutating func parameter(
        for argument: LabeledExprSyntax, in signature: Signature,
        attempted: inout Set<String>, labelsToSuggest: inout [String]
    ) -> Parameter? {
        let callee = signature.name
        let unlabelled = signature.parameters.filter { !$0.isLabelled }
        guard let label = argument.label else {
            if let parameter = unlabelled.first(where: { !attempted.contains($0.name) }) {
                attempted.insert(parameter.name)
                return parameter
            }
            if !labelsToSuggest.isEmpty {
                let label = labelsToSuggest.removeFirst()
                attempted.insert(label)
                report(.missingLabel(callee: callee, label: label), at: argument)
            } else {
                report(.extraArgument(callee: callee), at: argument)
            }
            return nil
        }
        let name = label.text
        if unlabelled.contains(where: { $0.name == name }) {
            attempted.insert(name)
            report(.extraneousLabel(callee: callee, label: name), at: label)
            return nil
        }
        guard let parameter = signature.parameter(labelled: name) else {
            let labels = signature.parameters.filter(\.isLabelled).map(\.name)
            let suggestion = Spelling.closestMatch(to: name, among: labels)
            if let suggestion { attempted.insert(suggestion) }
            report(.unknownLabel(callee: callee, label: name, suggestion: suggestion, labels: labels), at: label)
            return nil
        }
        guard attempted.insert(name).inserted else {
            report(.duplicateArgument(callee: callee, label: name), at: label)
            return nil
        }
        return parameter
    }

    /// The value of one argument, or `nil` with the mistake reported.
    private mutating func value(of expression: ExprSyntax, for parameter: Parameter) -> Value? {
        guard parameter.type == .image else {
            switch LiteralReader.value(of: expression, as: parameter.type, for: parameter.spelled) {
            case .success(let value): return value
            case .failure(let mistake):
                report(mistake, at: expression)
                return nil
            }
        }
        guard let call = expression.as(FunctionCallExprSyntax.self),
            call.calledExpression.as(DeclReferenceExprSyntax.self)?.baseName.text == Vocabulary.image.name
        else {
            report(LiteralReader.mismatch(expression, expected: .image, for: parameter.spelled), at: expression)
            return nil
        }
        _ = block(of: call, Vocabulary.image)
        guard let arguments = match(call, Vocabulary.image) else { return nil }
        return .image(
            ImageShape(
                channels: arguments.integer("channels"), height: arguments.integer("height"),
                width: arguments.integer("width")))
    }

    /// The `{ ... }` block of a call that takes one; reports a missing block, a block given to a call that
    /// takes none, extra trailing blocks other than the signature's labelled ones, and block parameters
    /// (`{ x in ... }`).
    mutating func block(of call: FunctionCallExprSyntax, _ signature: Signature) -> ClosureExprSyntax? {
        var labelsSeen = Set<String>()
        for extra in call.additionalTrailingClosures {
            let label = extra.label.text
            guard signature.takesBlock, signature.labelledBlocks.contains(label) else {
                let named = signature.takesBlock ? label : nil
                report(
                    .unexpectedBlock(callee: signature.name, label: named, labels: signature.labelledBlocks), at: extra)
                continue
            }
            if !labelsSeen.insert(label).inserted {
                report(.duplicateArgument(callee: signature.name, label: label), at: extra)
            }
            if let parameters = extra.closure.signature { report(.blockParameters, at: parameters) }
        }
        guard signature.takesBlock else {
            if let closure = call.trailingClosure {
                report(.unexpectedBlock(callee: signature.name, label: nil, labels: []), at: closure)
            }
            return nil
        }
        guard let closure = call.trailingClosure else {
            report(.missingBlock(usage: signature.usage), at: call)
            return nil
        }
        if let parameters = closure.signature { report(.blockParameters, at: parameters) }
        return closure
    }

    /// The trailing block written `label: { ... }` after a call's first block, if there is one (checked by
    /// `block(of:_:)`).
    func labelledBlock(_ label: String, of call: FunctionCallExprSyntax) -> ClosureExprSyntax? {
        call.additionalTrailingClosures.first { $0.label.text == label }?.closure
    }
}
