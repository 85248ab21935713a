import NetcGraph

/// What a model needs of its data: the shape of its images and its number of classes. Every reader checks its
/// file against one, so a mismatch is reported before anything is trained or written.
public struct DataExpectation: Hashable, Sendable {
    /// The shape of one input image.
    public var shape: ImageShape
    /// Labels must lie in `0..<classes`.
    public var classes: Int
    /// The model file that says so, named in mismatch errors.
    public var model: String

    /// An expectation of images of `shape` labelled `0..<classes`, as the model file at `model` declares.
    public init(shape: ImageShape, classes: Int, model: String) {
        self.shape = shape
        self.classes = classes
        self.model = model
    }

    /// What the network `spec`, read from the file at `path`, expects.
    public init(_ spec: NetworkSpec, modelPath path: String) {
        self.init(shape: spec.input, classes: spec.classes, model: path)
    }

    /// The error for `label`, found at `location` of the file at `path`, unless it is one of the model's classes.
    func check(label: Int, path: String, at location: DataError.Location) throws(DataError) {
        guard label >= 0 && label < classes else {
            throw DataError(
                path: path, location: location, kind: .labelOutOfRange(found: label, classes: classes, model: model))
        }
    }

    /// The error for a file at `path` holding images of `found` shape, unless the model expects that shape.
    func check(shape found: ImageShape, path: String) throws(DataError) {
        guard found == shape else {
            throw DataError(
                path: path, location: .file, kind: .shapeMismatch(found: found, expected: shape, model: model))
        }
    }
}
