import NetcGraph

/// One statement a `Training { ... }` block may contain, such as `epochs(100)`: a name and one value.
struct TrainingSetting: Sendable {
    /// The setting's name and its single unlabelled value, which messages call by the setting's name.
    var signature: Signature
    /// What a valid value is, for the error message: "at least 1"; empty when the type alone decides.
    var requirement: String
    /// Whether the matched value meets the requirement. Training values are range-checked here, where
    /// their place in the file is known; nothing downstream sees the file.
    var accepts: @Sendable (Arguments) -> Bool
    /// Stores the matched value in the spec.
    var apply: @Sendable (inout TrainingSpec, Arguments) -> Void

    /// An integer setting that must be at least `minimum`.
    static func integer(
        _ name: String, atLeast minimum: Int, _ store: @escaping @Sendable (inout TrainingSpec, Int) -> Void
    ) -> Self {
        TrainingSetting(
            signature: signature(name, .integer), requirement: "at least \(minimum)",
            accepts: { $0.integer(name) >= minimum }, apply: { store(&$0, $1.integer(name)) })
    }

    /// A number setting that must be above zero, or at least zero when `allowingZero`.
    static func number(
        _ name: String, allowingZero: Bool, _ store: @escaping @Sendable (inout TrainingSpec, Double) -> Void
    ) -> Self {
        TrainingSetting(
            signature: signature(name, .number), requirement: allowingZero ? "at least 0" : "greater than 0",
            accepts: { allowingZero ? $0.number(name) >= 0 : $0.number(name) > 0 },
            apply: { store(&$0, $1.number(name)) })
    }

    /// A `true`/`false` setting.
    static func boolean(_ name: String, _ store: @escaping @Sendable (inout TrainingSpec, Bool) -> Void) -> Self {
        TrainingSetting(
            signature: signature(name, .boolean), requirement: "", accepts: { _ in true },
            apply: { store(&$0, $1.boolean(name)) })
    }

    /// A `.name` setting whose names are the raw values of `Kind`.
    static func choice<Kind: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ store: @escaping @Sendable (inout TrainingSpec, Kind) -> Void
    ) -> Self where Kind.RawValue == String {
        let choice = Choice(noun: name, cases: Kind.allCases.map(\.rawValue))
        return TrainingSetting(
            signature: signature(name, .choice(choice)), requirement: "", accepts: { _ in true },
            apply: { spec, arguments in
                // The matcher only accepts names from `choice.cases`, which come from `Kind.allCases`.
                guard let kind = Kind(rawValue: arguments.choice(name)) else { preconditionFailure() }
                store(&spec, kind)
            })
    }

    private static func signature(_ name: String, _ type: ValueType) -> Signature {
        Signature(name: name, parameters: [.unlabelled(name, type)])
    }
}

extension Vocabulary {
    /// The statements of a `Training { ... }` block, by name; each fills one field of `TrainingSpec`.
    static let trainingSettings: [String: TrainingSetting] = Dictionary(
        uniqueKeysWithValues: trainingSettingList.map { ($0.signature.name, $0) })

    /// The setting names in documentation order, for suggestions.
    static let trainingSettingNames = trainingSettingList.map(\.signature.name)

    private static let trainingSettingList: [TrainingSetting] = [
        .integer("epochs", atLeast: 1) { $0.epochs = $1 },
        .integer("batchSize", atLeast: 1) { $0.batchSize = $1 },
        .number("learningRate", allowingZero: false) { $0.learningRate = $1 },
        .integer("folds", atLeast: 2) { $0.folds = $1 },
        .integer("seed", atLeast: 0) { $0.seed = UInt64($1) },
        .choice("optimizer") { (spec, kind: OptimizerKind) in spec.optimizer = kind },
        .choice("schedule") { (spec, kind: ScheduleKind) in spec.schedule = kind },
        .boolean("augment") { $0.augment = $1 },
        .number("weightDecay", allowingZero: true) { $0.weightDecay = $1 },
    ]
}
