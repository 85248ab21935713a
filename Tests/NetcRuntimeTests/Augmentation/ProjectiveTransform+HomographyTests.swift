import NetcRuntime
import Testing

/// The unit square's corners in torchvision's order.
private let unitSquare = Quadrilateral(topLeft: [0, 0], topRight: [1, 0], bottomRight: [1, 1], bottomLeft: [0, 1])

@Suite("Four-point homographies")
struct HomographyTests {
    @Test(
        "the homography maps each of the four points exactly where asked",
        arguments: [
            Quadrilateral(topLeft: [1, 1], topRight: [26, 0], bottomRight: [27, 26], bottomLeft: [0, 27]),
            Quadrilateral(
                topLeft: [0.4, 1.3], topRight: [26.2, 0.7], bottomRight: [26.9, 25.8], bottomLeft: [1.1, 27]),
            Quadrilateral(topLeft: [5, -3], topRight: [40, 10], bottomRight: [30, 50], bottomLeft: [-2, 20]),
        ])
    func mapsCorners(destination: Quadrilateral) throws {
        let source = Quadrilateral.corners(of: .mnist)
        let homography = try #require(ProjectiveTransform(mapping: source, to: destination))
        #expect(isClose(homography.applied(to: source.topLeft), destination.topLeft))
        #expect(isClose(homography.applied(to: source.topRight), destination.topRight))
        #expect(isClose(homography.applied(to: source.bottomRight), destination.bottomRight))
        #expect(isClose(homography.applied(to: source.bottomLeft), destination.bottomLeft))
    }

    @Test("a quadrilateral mapped to itself gives the identity matrix")
    func identity() throws {
        let corners = Quadrilateral.corners(of: .mnist)
        #expect(isClose(try #require(ProjectiveTransform(mapping: corners, to: corners)), .identity))
    }

    @Test("squares to a twice-larger shifted square give the affine matrix worked by hand")
    func affineByHand() throws {
        let larger = Quadrilateral(topLeft: [3, 5], topRight: [5, 5], bottomRight: [5, 7], bottomLeft: [3, 7])
        let homography = try #require(ProjectiveTransform(mapping: unitSquare, to: larger))
        #expect(isClose(homography, ProjectiveTransform([2, 0, 3], [0, 2, 5], [0, 0, 1])))
    }

    @Test("collinear points have no homography")
    func degenerate() {
        let collinear = Quadrilateral(topLeft: [0, 0], topRight: [1, 1], bottomRight: [2, 2], bottomLeft: [0, 1])
        #expect(ProjectiveTransform(mapping: unitSquare, to: collinear) == nil)
        #expect(ProjectiveTransform(mapping: collinear, to: unitSquare) == nil)
    }
}
