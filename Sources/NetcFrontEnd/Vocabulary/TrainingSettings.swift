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

    /// A number setting that must lie in `range`.
    static func number(
        _ name: String, in range: ClosedRange<Double>, _ store: @escaping @Sendable (inout TrainingSpec, Double) -> Void
    ) -> Self {
        TrainingSetting(
            signature: signature(name, .number), requirement: "within \(spelled(range))",
            accepts: { range.contains($0.number(name)) }, apply: { store(&$0, $1.number(name)) })
    }

    /// A number setting that must lie in the half-open `range` (`emaDecay` within 0..<1).
    static func number(
        _ name: String, in range: Range<Double>, _ store: @escaping @Sendable (inout TrainingSpec, Double) -> Void
    ) -> Self {
        TrainingSetting(
            signature: signature(name, .number),
            requirement: "within \(Value.number(range.lowerBound))..<\(Value.number(range.upperBound))",
            accepts: { range.contains($0.number(name)) }, apply: { store(&$0, $1.number(name)) })
    }

    /// `scale(low, high)`: a range of positive scale factors.
    static func scaleRange(_ store: @escaping @Sendable (inout TrainingSpec, ClosedRange<Double>) -> Void) -> Self {
        TrainingSetting(
            signature: Signature(
                name: "scale", parameters: [.unlabelled("low", .number), .unlabelled("high", .number)]),
            requirement: "two factors 0 < low <= high",
            accepts: { $0.number("low") > 0 && $0.number("low") <= $0.number("high") },
            apply: { store(&$0, $1.number("low")...$1.number("high")) })
    }

    /// `perspective(distortion, probability: 0.5)`, as torchvision's `RandomPerspective(distortion_scale, p)`.
    static func perspective(_ store: @escaping @Sendable (inout TrainingSpec, Double, Double) -> Void) -> Self {
        TrainingSetting(
            signature: Signature(
                name: "perspective",
                parameters: [
                    .unlabelled("distortion", .number),
                    .labelled("probability", .number, default: .value(.number(0.5))),
                ]),
            requirement: "a distortion within 0..<1 with a probability within 0...1",
            accepts: { (0..<1).contains($0.number("distortion")) && (0...1).contains($0.number("probability")) },
            apply: { store(&$0, $1.number("distortion"), $1.number("probability")) })
    }

    /// `elastic(alpha: 50, sigma: 5)`, as torchvision's `ElasticTransform(alpha, sigma)` (its defaults).
    static func elastic(_ store: @escaping @Sendable (inout TrainingSpec, ElasticDistortion) -> Void) -> Self {
        TrainingSetting(
            signature: Signature(
                name: "elastic",
                parameters: [
                    .labelled("alpha", .number, default: .value(.number(50))),
                    .labelled("sigma", .number, default: .value(.number(5))),
                ]),
            requirement: "alpha and sigma at least 0",
            accepts: { $0.number("alpha") >= 0 && $0.number("sigma") >= 0 },
            apply: { store(&$0, ElasticDistortion(alpha: $1.number("alpha"), sigma: $1.number("sigma"))) })
    }

    /// `classNames(["T-shirt", ...])`: distinct, non-empty names, one per class.
    static func names(_ name: String, _ store: @escaping @Sendable (inout TrainingSpec, [String]) -> Void) -> Self {
        TrainingSetting(
            signature: signature(name, .stringList), requirement: "a list of distinct, non-empty names",
            accepts: { arguments in
                let names = arguments.stringList(name)
                return !names.isEmpty && !names.contains("") && Set(names).count == names.count
            },
            apply: { store(&$0, $1.stringList(name)) })
    }

    /// A duration written as a string, such as `"30m"` or `"1h30m"` (see `TimeBudget.init(parsing:)`).
    static func duration(_ name: String, _ store: @escaping @Sendable (inout TrainingSpec, TimeBudget) -> Void) -> Self
    {
        TrainingSetting(
            signature: signature(name, .string), requirement: TimeBudget.formatHint,
            accepts: { TimeBudget(parsing: $0.string(name)) != nil },
            apply: { spec, arguments in
                // `accepts` has parsed the same text.
                guard let budget = TimeBudget(parsing: arguments.string(name)) else { preconditionFailure() }
                store(&spec, budget)
            })
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

    /// `0...180`, `0..<1` as a message writes a range.
    private static func spelled(_ range: ClosedRange<Double>) -> String {
        "\(Value.number(range.lowerBound))...\(Value.number(range.upperBound))"
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
        .number("rotation", in: 0...180) { $0.augmentation.rotationDegrees = $1 },
        .number("affineRotation", in: 0...180) { $0.augmentation.affineDegrees = $1 },
        .number("translate", in: 0...1) { $0.augmentation.translation = $1 },
        .scaleRange { $0.augmentation.scale = $1 },
        .perspective { spec, distortion, probability in
            (spec.augmentation.perspectiveDistortion, spec.augmentation.perspectiveProbability) = (
                distortion, probability
            )
        },
        .boolean("horizontalFlip") { $0.augmentation.horizontalFlip = $1 },
        .elastic { $0.augmentation.elastic = $1 },
        .names("classNames") { $0.classNames = $1 },
        .number("labelSmoothing", in: 0...1) { $0.labelSmoothing = $1 },
        .number("emaDecay", in: 0..<1) { $0.averageDecay = $1 },
        .duration("timeBudget") { $0.timeBudget = $1 },
        .choice("bestBy") { (spec, rule: BestEpoch) in spec.bestEpoch = rule },
    ]
}
