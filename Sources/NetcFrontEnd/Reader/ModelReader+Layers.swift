import NetcGraph
import SwiftSyntax

extension ModelReader {
    /// The layers of a `Network` block or of a group's (`group` names it: `Sequential`, `Residual`, `Branch`), and
    /// the `Training` block, which only a `Network` block may hold.
    mutating func readBody(
        _ block: ClosureExprSyntax, inside group: String? = nil
    ) -> (layers: [LayerSpec], training: TrainingSpec?) {
        var layers: [LayerSpec] = []
        var training: TrainingSpec?
        var firstTraining: FunctionCallExprSyntax?
        for item in block.statements {
            switch Statement(item) {
            case .call(Vocabulary.training.name, let call):
                if let group {
                    let rule = "belongs directly in the 'Network' block, not inside a '\(group)'"
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
            case .call(Vocabulary.branch.name, let call):
                let rule =
                    "belongs directly inside a 'Concat' block: Concat(\"name\") { Branch { ... } Branch { ... } }"
                report(.misplaced(name: Vocabulary.branch.name, rule: rule), at: call)
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

    /// A layer call, groups included; `nil` (with the mistake reported) when it is wrong.
    private mutating func readLayer(named name: String, _ call: FunctionCallExprSyntax) -> LayerSpec? {
        switch name {
        case Vocabulary.sequential.name:
            let arguments = match(call, Vocabulary.sequential)
            let body = block(of: call, Vocabulary.sequential).map { readBody($0, inside: Vocabulary.sequential.name) }
            guard let arguments, let body else { return nil }
            return LayerSpec(.sequential(name: arguments.string("name"), layers: body.layers), at: location(of: call))
        case Vocabulary.residual.name:
            let arguments = match(call, Vocabulary.residual)
            let body = block(of: call, Vocabulary.residual).map { readBody($0, inside: Vocabulary.residual.name) }
            let shortcut = labelledBlock(Vocabulary.residualShortcut, of: call).map {
                readBody($0, inside: Vocabulary.residual.name)
            }
            guard let arguments, let body else { return nil }
            let kind = LayerKind.residual(
                name: arguments.string("name"), body: body.layers, shortcut: shortcut?.layers ?? [])
            return LayerSpec(kind, at: location(of: call))
        case Vocabulary.concat.name:
            let arguments = match(call, Vocabulary.concat)
            let branches = block(of: call, Vocabulary.concat).map { readBranches($0) }
            guard let arguments, let branches else { return nil }
            return LayerSpec(.concat(name: arguments.string("name"), branches: branches), at: location(of: call))
        default:
            break
        }
        guard let form = Vocabulary.layers[name] else {
            reportUnknownOrUncalled(name, at: call)
            return nil
        }
        _ = block(of: call, form.signature)
        guard let arguments = match(call, form.signature) else { return nil }
        return LayerSpec(form.make(arguments), at: location(of: call))
    }

    /// The `Branch { ... }` blocks of a `Concat`, each a list of layers; anything else in the block is a mistake.
    private mutating func readBranches(_ block: ClosureExprSyntax) -> [[LayerSpec]] {
        var branches: [[LayerSpec]] = []
        for item in block.statements {
            switch Statement(item) {
            case .call(Vocabulary.branch.name, let call):
                _ = match(call, Vocabulary.branch)
                if let body = self.block(of: call, Vocabulary.branch) {
                    branches.append(readBody(body, inside: Vocabulary.branch.name).layers)
                }
            case .call(let name, let call):
                report(.notABranch(found: "'\(name)'"), at: call)
            case .bareName(let name, let node):
                report(.notABranch(found: "'\(name)'"), at: node)
            case .other(let found, let node):
                report(.notABranch(found: found), at: node)
            }
        }
        return branches
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
