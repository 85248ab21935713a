#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A projective transform of the image plane: a 3×3 matrix acting on homogeneous points `(x, y, 1)`.
///
/// Coordinates are pixel coordinates: the centre of the pixel in column `x`, row `y` is the point `(x, y)`, and
/// `y` grows downwards. A point maps to `(row0·p / row2·p, row1·p / row2·p)` with `p = (x, y, 1)`. Rotations,
/// scalings and translations are affine (`row2 == (0, 0, 1)`); ``init(mapping:to:)`` builds a general
/// homography. Compose with ``followed(by:)`` and resample an image with ``warp(_:imageSize:into:)``.
public struct ProjectiveTransform: Hashable, Sendable {
    /// The row giving the homogeneous x coordinate.
    public var row0: SIMD3<Double>
    /// The row giving the homogeneous y coordinate.
    public var row1: SIMD3<Double>
    /// The row giving the homogeneous weight `w`.
    public var row2: SIMD3<Double>

    /// Creates the transform with matrix rows `row0`, `row1`, `row2`.
    public init(_ row0: SIMD3<Double>, _ row1: SIMD3<Double>, _ row2: SIMD3<Double>) {
        self.row0 = row0
        self.row1 = row1
        self.row2 = row2
    }

    /// The transform that leaves every point where it is.
    public static let identity = ProjectiveTransform([1, 0, 0], [0, 1, 0], [0, 0, 1])

    /// Moves every point by `offset` pixels (positive x right, positive y down).
    public static func translation(_ offset: SIMD2<Double>) -> ProjectiveTransform {
        ProjectiveTransform([1, 0, offset.x], [0, 1, offset.y], [0, 0, 1])
    }

    /// Rotates by `degrees` about `center`; positive angles turn counter-clockwise as the image is seen on
    /// screen (with `y` down), as torchvision's `rotate` does.
    public static func rotation(degrees: Double, about center: SIMD2<Double>) -> ProjectiveTransform {
        let radians = degrees * Double.pi / 180
        let (cosine, sine) = (cos(radians), sin(radians))
        return aboutCenter(ProjectiveTransform([cosine, sine, 0], [-sine, cosine, 0], [0, 0, 1]), center)
    }

    /// Scales distances from `center` by `factor` (greater than 1 enlarges the image).
    public static func scale(_ factor: Double, about center: SIMD2<Double>) -> ProjectiveTransform {
        aboutCenter(ProjectiveTransform([factor, 0, 0], [0, factor, 0], [0, 0, 1]), center)
    }

    /// `linear` (which fixes the origin) conjugated so that it fixes `center` instead.
    private static func aboutCenter(_ linear: ProjectiveTransform, _ center: SIMD2<Double>) -> ProjectiveTransform {
        translation(-center).followed(by: linear).followed(by: translation(center))
    }

    /// The transform that applies `self` first and then `next`: the matrix product `next · self`.
    public func followed(by next: ProjectiveTransform) -> ProjectiveTransform {
        func combine(_ row: SIMD3<Double>) -> SIMD3<Double> { row.x * row0 + row.y * row1 + row.z * row2 }
        return ProjectiveTransform(combine(next.row0), combine(next.row1), combine(next.row2))
    }

    /// Where `point` goes; a point on the transform's horizon (`w == 0`) goes to infinity or NaN.
    public func applied(to point: SIMD2<Double>) -> SIMD2<Double> {
        let homogeneous = SIMD3(point.x, point.y, 1)
        let weight = (row2 * homogeneous).sum()
        return SIMD2((row0 * homogeneous).sum(), (row1 * homogeneous).sum()) / weight
    }

    /// The transform that undoes this one, or `nil` when the matrix is singular (it flattens the plane).
    ///
    /// Computed in closed form from the adjugate, so an affine transform's inverse is affine exactly.
    public var inverse: ProjectiveTransform? {
        // The columns of the adjugate are the cross products of pairs of rows.
        let columns = (cross(row1, row2), cross(row2, row0), cross(row0, row1))
        let determinant = (row0 * columns.0).sum()
        let magnitude = length(row0) * length(row1) * length(row2)
        guard determinant.isFinite, abs(determinant) > 1e-12 * magnitude else { return nil }
        return ProjectiveTransform(
            SIMD3(columns.0.x, columns.1.x, columns.2.x) / determinant,
            SIMD3(columns.0.y, columns.1.y, columns.2.y) / determinant,
            SIMD3(columns.0.z, columns.1.z, columns.2.z) / determinant)
    }
}

private func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

private func length(_ vector: SIMD3<Double>) -> Double { (vector * vector).sum().squareRoot() }
