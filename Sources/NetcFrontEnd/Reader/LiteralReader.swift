import SwiftSyntax

/// Reads the value of an argument written as a literal: `32`, `-1`, `0x10`, `60_000`, `1e-4`, `true`,
/// `"conv1"`, `["cat", "dog"]` or `.adam`. Anything else (a variable, arithmetic, a call) is a mistake: the
/// file is never run.
enum LiteralReader {
    /// The value of `expression` as `type`, or the mistake naming `parameter` (as spelled in messages).
    ///
    /// `type` must not be `.image`: image shapes are calls, read by `ModelReader`.
    static func value(of expression: ExprSyntax, as type: ValueType, for parameter: String) -> Result<Value, Mistake> {
        let wrongType = mismatch(expression, expected: type, for: parameter)
        guard SyntaxDescription.isLiteral(expression) else { return .failure(wrongType) }
        switch type {
        case .integer:
            guard let (literal, isNegated) = numeric(expression), literal.is(IntegerLiteralExprSyntax.self) else {
                return .failure(wrongType)
            }
            return integer(literal, negated: isNegated, written: expression).map(Value.integer)
        case .number:
            guard let (literal, isNegated) = numeric(expression) else { return .failure(wrongType) }
            if literal.is(IntegerLiteralExprSyntax.self) {
                return integer(literal, negated: isNegated, written: expression).map { .number(Double($0)) }
            }
            let magnitude = Double(literal.trimmedDescription.filter { $0 != "_" }) ?? .infinity
            guard magnitude.isFinite else { return .failure(.literalTooLarge(literal: expression.trimmedDescription)) }
            return .success(.number(isNegated ? -magnitude : magnitude))
        case .boolean:
            guard let boolean = expression.as(BooleanLiteralExprSyntax.self) else { return .failure(wrongType) }
            return .success(.boolean(boolean.literal.tokenKind == .keyword(.true)))
        case .string:
            guard let text = expression.as(StringLiteralExprSyntax.self)?.representedLiteralValue else {
                return .failure(wrongType)
            }
            return .success(.string(text))
        case .stringList:
            guard let array = expression.as(ArrayExprSyntax.self) else { return .failure(wrongType) }
            var strings: [String] = []
            for element in array.elements {
                guard let text = element.expression.as(StringLiteralExprSyntax.self)?.representedLiteralValue else {
                    return .failure(mismatch(element.expression, expected: .string, for: "an element of \(parameter)"))
                }
                strings.append(text)
            }
            return .success(.stringList(strings))
        case .choice(let choice):
            guard let member = expression.as(MemberAccessExprSyntax.self) else { return .failure(wrongType) }
            let name = member.declName.baseName.text
            guard choice.cases.contains(name) else {
                let suggestion = Spelling.closestMatch(to: name, among: choice.cases)
                return .failure(
                    .unknownChoice(noun: choice.noun, name: name, suggestion: suggestion, allowed: choice.spelledCases))
            }
            return .success(.choice(name))
        case .image:
            preconditionFailure("image shapes are calls, read by ModelReader")
        }
    }

    /// The mistake of writing `expression` where a `type` is expected: a literal of the wrong type, or
    /// something that is not a literal at all.
    static func mismatch(_ expression: ExprSyntax, expected type: ValueType, for parameter: String) -> Mistake {
        let found = SyntaxDescription.of(expression)
        return SyntaxDescription.isLiteral(expression)
            ? .wrongType(expected: type.description, parameter: parameter, found: found)
            : .notALiteral(expected: type.description, parameter: parameter, found: found)
    }

    /// The integer or float literal in `expression`, and whether a `-` precedes it.
    private static func numeric(_ expression: ExprSyntax) -> (literal: ExprSyntax, isNegated: Bool)? {
        var literal = expression
        if let negated = expression.as(PrefixOperatorExprSyntax.self), negated.operator.text == "-" {
            literal = negated.expression
        }
        guard literal.is(IntegerLiteralExprSyntax.self) || literal.is(FloatLiteralExprSyntax.self) else { return nil }
        return (literal, literal.id != expression.id)
    }

    /// The value of an integer literal in any of Swift's spellings: `60_000`, `0x10`, `0o17`, `0b101`.
    private static func integer(_ literal: ExprSyntax, negated: Bool, written: ExprSyntax) -> Result<Int, Mistake> {
        let digits = literal.trimmedDescription.filter { $0 != "_" }
        let radixes: [(prefix: String, radix: Int)] = [("0x", 16), ("0o", 8), ("0b", 2)]
        let (prefix, radix) = radixes.first { digits.hasPrefix($0.prefix) } ?? ("", 10)
        guard let magnitude = Int(digits.dropFirst(prefix.count), radix: radix) else {
            return .failure(.literalTooLarge(literal: written.trimmedDescription))
        }
        return .success(negated ? -magnitude : magnitude)
    }
}
