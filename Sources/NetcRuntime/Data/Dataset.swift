import NetcGraph

/// The height and width of one channel of an image: the plane augmentation warps.
public struct ImageSize: Hashable, Sendable, CustomStringConvertible {
    /// Rows of pixels.
    public let height: Int
    /// Pixels per row.
    public let width: Int

    /// Creates a shape of `height` rows of `width` pixels; both must be positive.
    public init(height: Int, width: Int) {
        precondition(height > 0 && width > 0, "an image shape needs positive dimensions")
        self.height = height
        self.width = width
    }

    /// Pixels in one plane, `height * width`.
    public var pixelCount: Int { height * width }

    /// `28x28`.
    public var description: String { "\(height)x\(width)" }
}

extension ImageShape {
    /// The height and width of each channel.
    public var plane: ImageSize { ImageSize(height: height, width: width) }
}

/// Every pixel value of a dataset, image after image, in the type its file stores.
public enum PixelValues: Equatable, Sendable {
    /// Bytes 0-255 (CSV, IDX, NumPy uint8); a model sees them divided by 255, as after torchvision's `ToTensor`.
    case uint8([UInt8])
    /// NumPy float32 values; a model sees them as they are (usually already scaled to 0-1).
    case float32([Float])

    /// The number of values.
    public var count: Int {
        switch self {
        case .uint8(let values): values.count
        case .float32(let values): values.count
        }
    }

    /// What a stored value is divided by to give the intensity a model sees before normalisation: 255 for
    /// bytes, 1 for floats.
    public var divisor: Double {
        switch self {
        case .uint8: 255
        case .float32: 1
        }
    }

    /// The first `count` values.
    func prefix(_ count: Int) -> PixelValues {
        switch self {
        case .uint8(let values): .uint8(Array(values.prefix(count)))
        case .float32(let values): .float32(Array(values.prefix(count)))
        }
    }
}

/// Images with optional class labels, held contiguously as loaded from disk.
///
/// `pixels` holds `count` images one after another, each `shape.channels` planes (channel-major, NCHW) of
/// `shape.height` rows of `shape.width` values. `labels`, when present, holds one class index per image.
/// Load one with ``DataSource``, which reads every format netc knows and checks it against the model.
public struct Dataset: Equatable, Sendable {
    /// The shape shared by every image.
    public let shape: ImageShape
    /// All pixel values, image after image.
    public let pixels: PixelValues
    /// One class index per image, or `nil` for unlabelled data such as Kaggle's `test.csv`.
    public let labels: [Int]?

    /// Creates a dataset; `pixels` must hold a whole number of images and `labels` one per image.
    public init(shape: ImageShape, pixels: PixelValues, labels: [Int]?) {
        precondition(shape.elementCount > 0, "images need at least one value")
        precondition(pixels.count % shape.elementCount == 0, "pixels must hold whole \(shape) images")
        let count = pixels.count / shape.elementCount
        precondition(labels.map { $0.count == count } ?? true, "there must be one label per image")
        self.shape = shape
        self.pixels = pixels
        self.labels = labels
    }

    /// The number of images.
    public var count: Int { pixels.count / shape.elementCount }

    /// The height and width of each channel.
    public var imageSize: ImageSize { shape.plane }

    /// The values of image `index` (0-based), channel-major, on the stored scale (bytes as 0...255).
    public func values(ofImage index: Int) -> [Float] {
        precondition(index >= 0 && index < count, "image index \(index) out of range 0..<\(count)")
        let range = index * shape.elementCount..<(index + 1) * shape.elementCount
        switch pixels {
        case .uint8(let values): return values[range].map(Float.init)
        case .float32(let values): return Array(values[range])
        }
    }

    /// The first `limit` images and their labels (all of them when there are fewer).
    public func prefix(_ limit: Int) -> Dataset {
        guard limit < count else { return self }
        return Dataset(
            shape: shape, pixels: pixels.prefix(limit * shape.elementCount),
            labels: labels.map { Array($0.prefix(limit)) })
    }

    /// This dataset with `labels` attached, one per image, as read from the file at `path`.
    ///
    /// Pairs Kaggle's unlabelled `test.csv` with the labels of ``loadLabelsCSV(_:expecting:)``.
    /// - Throws: ``DataError/Kind/countMismatch(count:otherCount:otherPath:)`` located in `path` when the
    ///   number of labels differs from the number of images; `imagesPath` names the images' file.
    public func labelled(by labels: [Int], from path: String, imagesPath: String) throws(DataError) -> Dataset {
        guard labels.count == count else {
            throw DataError(
                path: path, location: .file,
                kind: .countMismatch(count: labels.count, otherCount: count, otherPath: imagesPath))
        }
        return Dataset(shape: shape, pixels: pixels, labels: labels)
    }
}
