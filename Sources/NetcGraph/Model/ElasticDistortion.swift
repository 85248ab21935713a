/// An elastic distortion of training images, as torchvision's `ElasticTransform(alpha, sigma)` defines it: a field of
/// displacements drawn uniformly from −1...1 for every pixel and each axis, smoothed by a Gaussian of standard
/// deviation `sigma` pixels (kernel `int(8·sigma + 1)` taps, made odd, reflected at the edges) and scaled so that a
/// displacement of 1 moves a pixel `alpha / 2` pixels (on a square image; torchvision scales the x field by the width
/// over the height and the y field by the height over the width). Simard et al. (2003) used such fields on MNIST.
public struct ElasticDistortion: Hashable, Sendable, Codable {
    /// The displacement's magnitude (torchvision's `alpha`; its default is 50).
    public var alpha: Double
    /// The smoothing Gaussian's standard deviation in pixels (torchvision's `sigma`; its default is 5); 0 leaves the
    /// field unsmoothed.
    public var sigma: Double

    /// A distortion; both values must be at least 0.
    public init(alpha: Double, sigma: Double) {
        precondition(alpha >= 0 && sigma >= 0, "elastic alpha and sigma must not be negative")
        self.alpha = alpha
        self.sigma = sigma
    }
}
