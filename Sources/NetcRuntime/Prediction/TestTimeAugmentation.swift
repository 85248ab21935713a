/// Test-time augmentation: a model's logits for an image averaged over the image itself and `views` seeded mild
/// warps of it (`AugmentationPolicy.testTime`), as `netc predict --tta N` does.
///
/// View `v` (1-based) of image `i` is the warp the augmenter draws for key (seed, fold 0, epoch v − 1, image i),
/// so the same seed gives the same views on every run, thread and member of an ensemble.
public struct TestTimeAugmentation: Sendable {
    /// Warped views per image, besides the image itself.
    public let views: Int
    private let augmenter: Augmenter

    /// `views` warps of images of `imageSize`, drawn with `seed`.
    public init(views: Int, imageSize: ImageSize, seed: UInt64 = 0) {
        precondition(views >= 0, "a negative number of views")
        self.views = views
        augmenter = Augmenter(policy: .testTime, seed: seed, imageSize: imageSize)
    }

    /// The pixels of view `view` of image `image` of `data`: the image itself for view 0, else its warp.
    func pixels(_ data: Dataset, image: Int, view: Int) -> [Float] {
        view == 0 ? data.values(ofImage: image) : augmenter.augmented(data, image: image, fold: 0, epoch: view - 1)
    }
}
