import SwiftSyntax

/// Names a piece of syntax the way messages mention what was found: `string literal "3"`, `identifier 'k'`.
enum SyntaxDescription {
    /// A short description of `node` with its text, for "found ..." in messages.
    static func of(_ node: some SyntaxProtocol) -> String {
        let text = shortText(of: node)
        return switch Syntax(node).as(SyntaxEnum.self) {
        case .integerLiteralExpr: "integer literal \(text)"
        case .floatLiteralExpr: "floating-point literal \(text)"
        case .stringLiteralExpr(let string):
            string.representedLiteralValue == nil ? "interpolated string \(text)" : "string literal \(text)"
        case .booleanLiteralExpr: "boolean literal \(text)"
        case .nilLiteralExpr: "'nil'"
        case .arrayExpr: "array literal '\(text)'"
        case .dictionaryExpr: "dictionary literal '\(text)'"
        case .declReferenceExpr: "identifier '\(text)'"
        case .memberAccessExpr: "member access '\(text)'"
        case .functionCallExpr: "function call '\(text)'"
        case .sequenceExpr, .infixOperatorExpr, .prefixOperatorExpr, .postfixOperatorExpr: "expression '\(text)'"
        case .closureExpr: "block '{ ... }'"
        case .tupleExpr: "parenthesised expression '\(text)'"
        case .variableDecl: "variable declaration '\(text)'"
        case .functionDecl: "function declaration"
        case .importDecl: "import declaration"
        case .ifExpr: "'if' expression"
        case .forStmt: "'for' loop"
        default:
            node.is(DeclSyntax.self) ? "declaration" : node.is(StmtSyntax.self) ? "statement" : "expression '\(text)'"
        }
    }

    /// Whether `expression` is a literal (possibly negated) or a `.name`: the only values the language
    /// accepts, so a wrong one is a type mistake rather than a non-literal.
    static func isLiteral(_ expression: ExprSyntax) -> Bool {
        if let negated = expression.as(PrefixOperatorExprSyntax.self), negated.operator.text == "-" {
            let operand = negated.expression
            return operand.is(IntegerLiteralExprSyntax.self) || operand.is(FloatLiteralExprSyntax.self)
        }
        if let member = expression.as(MemberAccessExprSyntax.self) { return member.base == nil }
        if let string = expression.as(StringLiteralExprSyntax.self) { return string.representedLiteralValue != nil }
        return expression.is(IntegerLiteralExprSyntax.self) || expression.is(FloatLiteralExprSyntax.self)
            || expression.is(BooleanLiteralExprSyntax.self) || expression.is(NilLiteralExprSyntax.self)
            || expression.is(ArrayExprSyntax.self) || expression.is(DictionaryExprSyntax.self)
    }

    /// The node's text on one line, shortened to fit in a message.
    private static func shortText(of node: some SyntaxProtocol) -> String {
        let oneLine = node.trimmedDescription.split(whereSeparator: \.isNewline)
            .map { $0.trimmingPrefix(while: \.isWhitespace) }.joined(separator: " ")
        return oneLine.count <= 40 ? oneLine : oneLine.prefix(39) + "…"
    }
}
