import NetcGraph
import SwiftSyntax

/// Reads a syntactically valid model file as a declarative description and collects every mistake.
///
/// It checks the language (which calls exist, where they may appear, their arguments and literal types);
/// values, names and shapes are `GraphBuilder`'s to check. The reading is split by concern across
/// `ModelReader+Layers.swift`, `+Training` and `+Arguments`.
struct ModelReader {
    /// The mistakes found so far, in the order they were found.
    private(set) var diagnostics: [FrontEndDiagnostic] = []
    private let path: String
    private let converter: SourceLocationConverter
    /// The `classNames([...])` call of the `Training` block, whose count the network's `classes` must match.
    var classNamesCall: FunctionCallExprSyntax?

    /// Prepares to read a file reported as `path`, with `converter` built from its tree.
    init(path: String, converter: SourceLocationConverter) {
        self.path = path
        self.converter = converter
    }

    /// The network the file describes, or `nil` when it has none or its `Network` call is wrong.
    mutating func readFile(_ file: SourceFileSyntax) -> NetworkSpec? {
        var network: NetworkSpec?
        var firstNetwork: FunctionCallExprSyntax?
        for item in file.statements {
            switch Statement(item) {
            case .call(Vocabulary.network.name, let call):
                if let firstNetwork {
                    report(.duplicateNetwork(firstLine: line(of: firstNetwork)), at: call)
                } else {
                    firstNetwork = call
                    network = readNetwork(call)
                }
            case .call(let name, let call):
                reportOutsideNetwork(name, at: call)
            case .bareName(let name, let node):
                reportOutsideNetwork(name, at: node)
            case .other(let found, let node):
                report(.notACall(found: found, expected: "'Network(...)'"), at: node)
            }
        }
        if firstNetwork == nil && diagnostics.isEmpty {
            report(.missingNetwork, at: file.position)
        }
        return network
    }

    /// `Network(name, input:, classes:) { ... }`.
    private mutating func readNetwork(_ call: FunctionCallExprSyntax) -> NetworkSpec? {
        let arguments = match(call, Vocabulary.network)
        let body = block(of: call, Vocabulary.network).map { readBody($0) }
        guard let arguments, let body else { return nil }
        let classes = arguments.integer("classes")
        if let names = body.training?.classNames, names.count != classes, let classNamesCall {
            report(.classNamesCount(found: names.count, classes: classes), at: classNamesCall)
            return nil
        }
        return NetworkSpec(
            name: arguments.string("name"), input: arguments.image("input"), classes: arguments.integer("classes"),
            layers: body.layers, training: body.training ?? TrainingSpec(), location: location(of: call))
    }

    /// Explains a call written at the top level that belongs inside `Network`, or is unknown.
    private mutating func reportOutsideNetwork(_ name: String, at node: some SyntaxProtocol) {
        if name == Vocabulary.training.name {
            report(.misplaced(name: name, rule: "goes inside the 'Network' block, next to the layers"), at: node)
        } else if Vocabulary.bodyNames.contains(name) {
            report(.misplaced(name: name, rule: "must be inside the 'Network' block"), at: node)
        } else if let suggestion = Spelling.closestMatch(to: name, among: [Vocabulary.network.name]) {
            report(.unknownName(name: name, kind: "name", suggestion: suggestion), at: node)
        } else {
            report(.notACall(found: "'\(name)'", expected: "'Network(...)'"), at: node)
        }
    }

    /// Records a mistake at the first character of `node` (for a call, of its name).
    mutating func report(_ mistake: Mistake, at node: some SyntaxProtocol) {
        report(mistake, at: node.positionAfterSkippingLeadingTrivia)
    }

    /// Records a mistake at `position`.
    mutating func report(_ mistake: Mistake, at position: AbsolutePosition) {
        diagnostics.append(FrontEndDiagnostic(at: location(of: position), mistake.message))
    }

    /// Where `node` starts, as reported to users and stored in specs.
    func location(of node: some SyntaxProtocol) -> NetcGraph.SourceLocation {
        location(of: node.positionAfterSkippingLeadingTrivia)
    }

    /// The 1-based line `node` starts on.
    func line(of node: some SyntaxProtocol) -> Int { location(of: node).line }

    private func location(of position: AbsolutePosition) -> NetcGraph.SourceLocation {
        let place = converter.location(for: position)
        return NetcGraph.SourceLocation(file: path, line: place.line, column: place.column)
    }
}

/// A statement of a block (or the file), classified the way the language reads it.
enum Statement {
    /// `Name(...)`, possibly with a block.
    case call(String, FunctionCallExprSyntax)
    /// `Name` alone: a call with its parentheses forgotten.
    case bareName(String, DeclReferenceExprSyntax)
    /// Anything else, described for a message.
    case other(found: String, Syntax)

    /// Classifies one statement.
    init(_ item: CodeBlockItemSyntax) {
        let node = item.item
        if let call = node.as(FunctionCallExprSyntax.self),
            let callee = call.calledExpression.as(DeclReferenceExprSyntax.self), callee.argumentNames == nil
        {
            self = .call(callee.baseName.text, call)
        } else if let name = node.as(DeclReferenceExprSyntax.self), name.argumentNames == nil {
            self = .bareName(name.baseName.text, name)
        } else {
            self = .other(found: SyntaxDescription.of(node), Syntax(node))
        }
    }
}
