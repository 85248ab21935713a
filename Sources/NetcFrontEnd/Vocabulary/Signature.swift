import NetcGraph

/// What a call in a model file accepts: its name, its parameters and whether it takes a `{ ... }` block.
///
/// The argument matcher (`ModelReader+Arguments.swift`) checks a call against its signature, so every layer,
/// `Network`, `Image`, `Training` and each training setting is described by data here, not by code.
struct Signature: Sendable {
    /// The name the call is written with, e.g. `Conv2D`.
    var name: String
    /// The parameters in the order they are written: unlabelled ones first.
    var parameters: [Parameter]
    /// Whether the call must have a trailing `{ ... }` block (and cannot have one otherwise).
    var takesBlock = false
    /// The labels of the optional blocks that may follow the first, `} shortcut: { ... }`.
    var labelledBlocks: [String] = []

    /// The call as a user would write it, with defaults: `Conv2D(outChannels, kernel:, stride: 1, ...)`.
    var usage: String {
        let arguments = parameters.map(\.usage).joined(separator: ", ")
        let blocks = labelledBlocks.map { " \($0): { ... }" }.joined()
        return "\(name)(\(arguments))" + (takesBlock ? " { ... }" + blocks : "")
    }

    /// The parameter written with `label:`, if any.
    func parameter(labelled label: String) -> Parameter? {
        parameters.first { $0.isLabelled && $0.name == label }
    }
}

/// One parameter of a `Signature`.
struct Parameter: Sendable {
    /// What happens when a call leaves the parameter out.
    enum Default: Sendable {
        /// The argument must be given.
        case required
        /// This value is used.
        case value(Value)
        /// The value of another parameter is used, e.g. a pool's stride defaults to its size.
        case sameAs(String)
    }

    /// The label, or for an unlabelled parameter the name messages use for it.
    var name: String
    /// Whether the argument is written `name: value` (otherwise just `value`).
    var isLabelled: Bool
    /// The type of value accepted.
    var type: ValueType
    /// What a missing argument means.
    var defaultValue: Default

    /// An unlabelled parameter, written as a bare value.
    static func unlabelled(_ name: String, _ type: ValueType, default defaultValue: Default = .required) -> Self {
        Parameter(name: name, isLabelled: false, type: type, defaultValue: defaultValue)
    }

    /// A parameter written `name: value`.
    static func labelled(_ name: String, _ type: ValueType, default defaultValue: Default = .required) -> Self {
        Parameter(name: name, isLabelled: true, type: type, defaultValue: defaultValue)
    }

    /// How messages name the parameter: `kernel:` for a label, `outChannels` for an unlabelled value.
    var spelled: String { isLabelled ? "\(name):" : name }

    /// The parameter in a usage line: `kernel:`, `stride: 1`, `stride: size`.
    var usage: String {
        switch defaultValue {
        case .required: spelled
        case .value(let value): "\(spelled) \(value)"
        case .sameAs(let other): "\(spelled) \(other)"
        }
    }
}

/// The values of a call's arguments after matching, defaults filled in.
struct Arguments {
    /// Values by parameter name.
    var values: [String: Value]

    /// The integer argument `name`; the matcher guarantees it exists with this type.
    func integer(_ name: String) -> Int {
        guard case .integer(let value) = values[name] else { preconditionFailure("no integer argument '\(name)'") }
        return value
    }

    /// The number argument `name`, integers converted.
    func number(_ name: String) -> Double {
        switch values[name] {
        case .number(let value): return value
        case .integer(let value): return Double(value)
        default: preconditionFailure("no number argument '\(name)'")
        }
    }

    /// The boolean argument `name`.
    func boolean(_ name: String) -> Bool {
        guard case .boolean(let value) = values[name] else { preconditionFailure("no boolean argument '\(name)'") }
        return value
    }

    /// The string argument `name`.
    func string(_ name: String) -> String {
        guard case .string(let value) = values[name] else { preconditionFailure("no string argument '\(name)'") }
        return value
    }

    /// The string-list argument `name`.
    func stringList(_ name: String) -> [String] {
        guard case .stringList(let value) = values[name] else {
            preconditionFailure("no string list argument '\(name)'")
        }
        return value
    }

    /// The image-shape argument `name`.
    func image(_ name: String) -> ImageShape {
        guard case .image(let value) = values[name] else { preconditionFailure("no image argument '\(name)'") }
        return value
    }

    /// The `.name` argument `name`, without the period.
    func choice(_ name: String) -> String {
        guard case .choice(let value) = values[name] else { preconditionFailure("no choice argument '\(name)'") }
        return value
    }
}
