import NetcGraph

/// The kinds of value an argument can take; every one is written as a literal.
enum ValueType: Hashable, Sendable {
    /// An integer literal such as `32`, `-1`, `0x10` or `60_000`.
    case integer
    /// A number: a float literal such as `1e-4` or `0.25`, or an integer literal.
    case number
    /// `true` or `false`.
    case boolean
    /// A string literal without interpolation.
    case string
    /// An array literal of such strings, `["T-shirt", "Trouser"]`.
    case stringList
    /// `Image(channels: C, height: H, width: W)`.
    case image
    /// One of a fixed set of names written as `.name`, e.g. `.adam`.
    case choice(Choice)

    /// How messages name the type: "expected an integer".
    var description: String {
        switch self {
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "'true' or 'false'"
        case .string: "a string"
        case .stringList: "a list of strings such as [\"cat\", \"dog\"]"
        case .image: "an image shape '\(Vocabulary.image.usage)'"
        case .choice(let choice): choice.spelledCases
        }
    }
}

/// A closed set of names a `.name` argument may take, such as the optimizers.
struct Choice: Hashable, Sendable {
    /// What the names are, for messages: "optimizer".
    var noun: String
    /// The allowed names, without the leading period.
    var cases: [String]

    /// The names as written in a file: `'.adam' or '.sgd'`.
    var spelledCases: String {
        let spelled = cases.map { "'.\($0)'" }
        return spelled.count <= 1
            ? spelled.joined() : spelled.dropLast().joined(separator: ", ") + " or " + spelled[spelled.count - 1]
    }
}

/// A literal value read from the source.
enum Value: Hashable, Sendable, CustomStringConvertible {
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case string(String)
    case stringList([String])
    case image(ImageShape)
    case choice(String)

    /// The value as it would be written in a file, for usage lines.
    var description: String {
        switch self {
        case .integer(let value): "\(value)"
        case .number(let value): "\(value)".replacing("e-0", with: "e-")  // 1e-05 → 1e-5
        case .boolean(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .stringList(let values): "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        case .image(let shape): "Image(channels: \(shape.channels), height: \(shape.height), width: \(shape.width))"
        case .choice(let name): ".\(name)"
        }
    }
}
