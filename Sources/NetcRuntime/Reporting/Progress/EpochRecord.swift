/// What one finished training epoch measured: the unit of progress output, `metrics.csv` rows and loss plots.
///
/// `fold` and `epoch` count from 1. Losses are means over the epoch's images; `validationAccuracy` is a
/// fraction in 0...1 (0.9876 is printed as 98.76%); `seconds` is the epoch's wall time, training and
/// validation together.
public struct EpochRecord: Equatable, Sendable {
    /// The 1-based fold this epoch belongs to.
    public var fold: Int
    /// The 1-based epoch within its fold.
    public var epoch: Int
    /// Mean training loss over the epoch.
    public var trainLoss: Double
    /// Mean loss on the fold's validation images after the epoch.
    public var validationLoss: Double
    /// Fraction of validation images classified correctly, 0...1.
    public var validationAccuracy: Double
    /// Training throughput in images per second.
    public var imagesPerSecond: Double
    /// Wall-clock seconds the epoch took.
    public var seconds: Double
    /// The learning rate used during the epoch.
    public var learningRate: Double
    /// Validation loss and accuracy of the moving average of the weights, when the run keeps one.
    public var average: Validation?

    /// A validation loss and accuracy.
    public struct Validation: Equatable, Sendable {
        /// Mean loss on the fold's validation images.
        public var loss: Double
        /// Fraction of validation images classified correctly, 0...1.
        public var accuracy: Double

        /// Creates a validation result.
        public init(loss: Double, accuracy: Double) {
            self.loss = loss
            self.accuracy = accuracy
        }
    }

    /// The raw weights' validation loss and accuracy.
    public var validation: Validation { Validation(loss: validationLoss, accuracy: validationAccuracy) }

    /// Creates a record; see the type's documentation for units.
    public init(
        fold: Int, epoch: Int, trainLoss: Double, validationLoss: Double, validationAccuracy: Double,
        imagesPerSecond: Double, seconds: Double, learningRate: Double, average: Validation? = nil
    ) {
        self.fold = fold
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.imagesPerSecond = imagesPerSecond
        self.seconds = seconds
        self.learningRate = learningRate
        self.average = average
    }
}
