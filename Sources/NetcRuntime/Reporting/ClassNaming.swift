/// How reports name classes: by the names a model file's `classNames([...])` gives, or by number.
public struct ClassNaming: Hashable, Sendable {
    /// One name per class, or `nil` to use the class numbers.
    public let names: [String]?

    /// Names from `names` (one per class), or numbers when `nil`.
    public init(_ names: [String]?) {
        self.names = names
    }

    /// Class numbers only.
    public static let numbers = ClassNaming(nil)

    /// The name of class `label`: `Sneaker`, or `7`.
    public func name(_ label: Int) -> String {
        guard let names, names.indices.contains(label) else { return "\(label)" }
        return names[label]
    }

    /// A sample's caption: `Sneaker`, or `label 7`.
    public func caption(_ label: Int) -> String {
        names == nil ? "label \(label)" : name(label)
    }
}
