import ArgumentParser
import Foundation
import NetcGraph
import NetcRuntime

extension ScheduleKind: ExpressibleByArgument {}
extension BestEpoch: ExpressibleByArgument {}

/// The training recipe's flags; each one left out keeps the model file's or the reference recipe's value.
struct RecipeOptions: ParsableArguments {
    @Option(help: "Number of K-fold folds (default 5).")
    var folds: Int?
    @Option(help: "Epochs per fold (default 100); with --time-budget, the most the plan may choose.")
    var epochs: Int?
    @Option(name: .customLong("batch-size"), help: "Images per step (default 100).")
    var batchSize: Int?
    @Option(name: .customLong("lr"), help: "Learning rate; the peak for onecycle (default 1e-4).")
    var learningRate: Double?
    @Option(help: "constant, cosine or onecycle (default constant).")
    var schedule: ScheduleKind?
    @OptionGroup var step: StepOptions
    @Option(
        name: .customLong("time-budget"),
        help: """
            Fit the whole run into this wall time (e.g. 30m, 1h30m): the first epoch is timed, the epochs per fold \
            planned from it (at most --epochs) and the schedule spans them; the plan is printed and kept in \
            run.json. Counts from the start of the command; prediction is not included.
            """)
    var timeBudget: String?
    @Option(
        name: .customLong("best-by"),
        help: """
            What makes an epoch a fold's best, kept as fold-K/best.safetensors and used by predict: loss (the \
            lowest validation loss) or accuracy (the highest validation accuracy, the lower loss among equals; \
            for label smoothing, which raises the validation loss of a model that still improves) (default loss).
            """)
    var bestEpoch: BestEpoch?
    @Option(help: "Seed of the folds, shuffles, augmentation, dropout and weights (default 42).")
    var seed: UInt64?
    @Flag(name: .customLong("no-augment"), help: "Train on the images as they are.")
    var noAugment = false
    @Option(help: "Augmentation: RandomRotation's degrees either way (default 5).")
    var rotation: Double?
    @Option(name: .customLong("affine-rotation"), help: "Augmentation: RandomAffine's degrees either way (default 5).")
    var affineRotation: Double?
    @Option(help: "Augmentation: the largest shift, a fraction of the width and of the height (default 0.1).")
    var translate: Double?
    @Option(help: "Augmentation: the scale factors' range LOW,HIGH (default 0.9,1.1).")
    var scale: ScaleRange?
    @Option(help: "Augmentation: RandomPerspective's distortion scale, 0 to below 1 (default 0.1).")
    var perspective: Double?
    @Option(
        name: .customLong("perspective-probability"), help: "Augmentation: the chance of a perspective (default 0.25).")
    var perspectiveProbability: Double?
    @Flag(
        inversion: .prefixedNo,
        help: "Augmentation: mirror half the images left to right (default off: never for digits).")
    var horizontalFlip: Bool?
    @Option(
        help: """
            Augmentation: an elastic distortion ALPHA,SIGMA after the other steps, as torchvision's \
            ElasticTransform(alpha, sigma) (e.g. 34,4; default none; alpha 0 turns one set in the model file off).
            """)
    var elastic: ElasticOption?

    func validate() throws {
        if let folds, folds < 2 { throw ValidationError("--folds must be at least 2, found \(folds)") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be positive, found \(epochs)") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be positive, found \(batchSize)") }
        if let learningRate, !(learningRate > 0) { throw ValidationError("--lr must be positive") }
        if let seed, seed >= 1 << 53 { throw ValidationError("--seed must be below 2^53") }
        for (flag, value, range) in [
            ("--rotation", rotation, 0...180), ("--affine-rotation", affineRotation, 0...180),
            ("--translate", translate, 0...1), ("--perspective-probability", perspectiveProbability, 0...1),
        ] as [(String, Double?, ClosedRange<Double>)] {
            if let value, !range.contains(value) {
                throw ValidationError(
                    "\(flag) must be within \(range.lowerBound)...\(range.upperBound), found \(value)")
            }
        }
        if let perspective, !(0..<1).contains(perspective) {
            throw ValidationError("--perspective must be at least 0 and below 1, found \(perspective)")
        }
        if let timeBudget, TimeBudget(parsing: timeBudget) == nil {
            throw ValidationError("--time-budget must be \(TimeBudget.formatHint), found '\(timeBudget)'")
        }
    }

    /// `configuration` with every given flag applied.
    func apply(to configuration: TrainingConfiguration) -> TrainingConfiguration {
        var result = step.apply(to: configuration)
        if let folds { result.folds = folds }
        if let epochs { result.epochs = epochs }
        if let batchSize { result.batchSize = batchSize }
        if let learningRate { result.learningRate = learningRate }
        if let schedule { result.schedule = schedule }
        if let budget = timeBudget.flatMap(TimeBudget.init(parsing:)) { result.timeBudget = budget }
        if let bestEpoch { result.bestEpoch = bestEpoch }
        if let seed { result.seed = seed }
        if noAugment { result.augment = false }
        result.augmentation = result.augmentation.applying(
            AugmentationSettings(
                rotationDegrees: rotation, affineDegrees: affineRotation, translation: translate, scale: scale?.range,
                perspectiveDistortion: perspective, perspectiveProbability: perspectiveProbability,
                horizontalFlip: horizontalFlip, elastic: elastic?.distortion))
        return result
    }
}

/// `--elastic ALPHA,SIGMA`: an elastic distortion's magnitude and smoothness, neither negative.
struct ElasticOption: ExpressibleByArgument {
    let distortion: ElasticDistortion

    init?(argument: String) {
        let parts = argument.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, parts[0] >= 0, parts[1] >= 0 else { return nil }
        distortion = ElasticDistortion(alpha: parts[0], sigma: parts[1])
    }

    static var defaultValueDescription: String { "none" }
}

/// `--scale LOW,HIGH`: a range of positive scale factors.
struct ScaleRange: ExpressibleByArgument {
    let range: ClosedRange<Double>

    init?(argument: String) {
        let parts = argument.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, parts[0] > 0, parts[0] <= parts[1] else { return nil }
        range = parts[0]...parts[1]
    }

    static var defaultValueDescription: String { "0.9,1.1" }
}
