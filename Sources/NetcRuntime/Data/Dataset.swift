/// The height and width of every image in a dataset.
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

    /// MNIST's 28×28 greyscale digits.
    public static let mnist = ImageSize(height: 28, width: 28)

    /// Pixels in one image, `height * width`.
    public var pixelCount: Int { height * width }

    /// `28x28`.
    public var description: String { "\(height)x\(width)" }
}

/// Greyscale images with optional class labels, held contiguously as loaded from disk.
///
/// `images` holds `count` images one after another, each `imageSize.height` rows of `imageSize.width`
/// pixels (row-major), each pixel 0-255. `labels`, when present, holds one class per image, 0-9 for MNIST.
/// Load one with ``loadKaggleCSV(_:imageSize:)`` or ``loadIDX(images:labels:)``.
public struct Dataset: Equatable, Sendable {
    /// The shape shared by every image.
    public let imageSize: ImageSize
    /// All pixels, image after image, row-major within an image.
    public let images: [UInt8]
    /// One label per image, or `nil` for unlabelled data such as Kaggle's `test.csv`.
    public let labels: [UInt8]?

    /// Creates a dataset; `images` must hold a whole number of images and `labels` one per image.
    public init(imageSize: ImageSize, images: [UInt8], labels: [UInt8]?) {
        precondition(images.count % imageSize.pixelCount == 0, "images must hold whole \(imageSize) images")
        let count = images.count / imageSize.pixelCount
        precondition(labels.map { $0.count == count } ?? true, "there must be one label per image")
        self.imageSize = imageSize
        self.images = images
        self.labels = labels
    }

    /// The number of images.
    public var count: Int { images.count / imageSize.pixelCount }

    /// The pixels of image `index` (0-based), row-major.
    public func image(at index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < count, "image index \(index) out of range 0..<\(count)")
        let start = index * imageSize.pixelCount
        return images[start..<start + imageSize.pixelCount]
    }

    /// This dataset with `labels` attached, one per image, as read from the file at `path`.
    ///
    /// Pairs Kaggle's unlabelled `test.csv` with the labels of ``loadLabelsCSV(_:)``.
    /// - Throws: ``DataError/Kind/countMismatch(count:otherCount:otherPath:)`` located in `path` when the
    ///   number of labels differs from the number of images; `imagesPath` names the images' file.
    public func labelled(by labels: [UInt8], from path: String, imagesPath: String) throws(DataError) -> Dataset {
        guard labels.count == count else {
            throw DataError(
                path: path, location: .file,
                kind: .countMismatch(count: labels.count, otherCount: count, otherPath: imagesPath))
        }
        return Dataset(imageSize: imageSize, images: images, labels: labels)
    }
}
