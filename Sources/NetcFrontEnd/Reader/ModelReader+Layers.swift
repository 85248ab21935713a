import NetcGraph
import SwiftSyntax

extension ModelReader {
    /// The layers of a `Network` or `Sequential` block, and the `Training` block if one is allowed and present.
    mutating func readBody(
        _ block: ClosureExprSyntax, allowsTraining: Bool
    ) -> (layers: [LayerSpec], training: TrainingSpec?) {
        var layers: [LayerSpec] = []
        var training: TrainingSpec?
        var firstTraining: FunctionCallExprSyntax?
        for item in block.statements {
            switch Statement(item) {
            case .call(Vocabulary.training.name, let call):
                if !allowsTraining {
                    let rule = "belongs directly in the 'Network' block, not inside a 'Sequential'"
                    report(.misplaced(name: Vocabulary.training.name, rule: rule), at: call)
                } else if let firstTraining {
                    report(.duplicateTraining(firstLine: line(of: firstTraining)), at: call)
                } else {
                    firstTraining = call
                    training = readTraining(call)
                }
            case .call(Vocabulary.network.name, let call):
                let rule = "cannot be nested; a file describes one network"
                report(.misplaced(name: Vocabulary.network.name, rule: rule), at: call)
            case .call(let name, let call):
                if let layer = readLayer(named: name, call) { layers.append(layer) }
            case .bareName(let name, let node):
                reportUnknownOrUncalled(name, at: node)
            case .other(let found, let node):
                report(.notACall(found: found, expected: "a layer such as 'ReLU()'"), at: node)
            }
        }
        return (layers, training)
    }

    /// A layer call, `Sequential` included; `nil` (with the mistake reported) when it is wrong.
    private mutating func readLayer(named name: String, _ call: FunctionCallExprSyntax) -> LayerSpec? {
        if name == Vocabulary.sequential.name {
            let arguments = match(call, Vocabulary.sequential)
            let body = block(of: call, Vocabulary.sequential).map { readBody($0, allowsTraining: false) }
            guard let arguments, let body else { return nil }
            return LayerSpec(.sequential(name: arguments.string("name"), layers: body.layers), at: location(of: call))
        }
        guard let form = Vocabulary.layers[name] else {
            reportUnknownOrUncalled(name, at: call)
            return nil
        }
        _ = block(of: call, form.signature)
        guard let arguments = match(call, form.signature) else { return nil }
        return LayerSpec(form.make(arguments), at: location(of: call))
    }

    /// Explains a name that is not a layer (with a suggestion), or a layer written without parentheses.
    private mutating func reportUnknownOrUncalled(_ name: String, at node: some SyntaxProtocol) {
        if node.is(DeclReferenceExprSyntax.self), let usage = Vocabulary.usage(ofBodyName: name) {
            report(.uncalled(name: name, usage: usage), at: node)
        } else {
            let suggestion = Spelling.closestMatch(to: name, among: Vocabulary.bodyNames)
            report(.unknownName(name: name, kind: "layer", suggestion: suggestion), at: node)
        }
    }
}
