import NetcRuntime
import Testing

@Suite("Projective transforms")
struct ProjectiveTransformTests {
    @Test("a 30° rotation about a centre matches cos and sin worked by hand")
    func rotationByHand() {
        // (5, 2) is 2 pixels right of the centre (3, 2); counter-clockwise on screen (y down) it turns up:
        // (3 + 2·cos 30°, 2 − 2·sin 30°) = (3 + √3, 1).
        let rotation = ProjectiveTransform.rotation(degrees: 30, about: [3, 2])
        #expect(isClose(rotation.applied(to: [5, 2]), [3 + 3.0.squareRoot(), 1]))
        // (3, 4) lies 2 below the centre; it turns right: (3 + 2·sin 30°, 2 + 2·cos 30°) = (4, 2 + √3).
        #expect(isClose(rotation.applied(to: [3, 4]), [4, 2 + 3.0.squareRoot()]))
        #expect(rotation.applied(to: [3, 2]) == [3, 2])
    }

    @Test("scaling about a centre keeps the centre and doubles distances from it")
    func scaleAboutCenter() {
        let scale = ProjectiveTransform.scale(2, about: [10, 20])
        #expect(scale.applied(to: [10, 20]) == [10, 20])
        #expect(scale.applied(to: [11, 17]) == [12, 14])
    }

    @Test("followed(by:) applies the receiver first")
    func compositionOrder() {
        let shift = ProjectiveTransform.translation([1, 0])
        let quarterTurn = ProjectiveTransform.rotation(degrees: 90, about: [0, 0])
        let point: SIMD2<Double> = [1, 0]
        // By hand: shifting (1, 0) gives (2, 0); a quarter turn counter-clockwise on screen takes it to (0, −2).
        #expect(isClose(shift.followed(by: quarterTurn).applied(to: point), [0, -2]))
        let sequential = quarterTurn.applied(to: shift.applied(to: point))
        #expect(isClose(shift.followed(by: quarterTurn).applied(to: point), sequential))
        // The other order turns first, to (0, −1), then shifts, to (1, −1).
        #expect(isClose(quarterTurn.followed(by: shift).applied(to: point), [1, -1]))
    }

    @Test("the inverse undoes a projective transform, and an affine one's stays affine exactly")
    func inverse() throws {
        let projective = ProjectiveTransform([1.1, 0.2, 3], [-0.1, 0.9, -2], [0.001, -0.002, 1])
        let inverse = try #require(projective.inverse)
        for point: SIMD2<Double> in [[0, 0], [27, 0], [13.5, 13.5], [3, 25]] {
            #expect(isClose(inverse.applied(to: projective.applied(to: point)), point))
        }
        let affine = ProjectiveTransform.rotation(degrees: 7, about: [13.5, 13.5]).followed(by: .translation([2, 1]))
        #expect(try #require(affine.inverse).row2 == [0, 0, 1])
        #expect(ProjectiveTransform.identity.inverse == .identity)
    }

    @Test("a transform that flattens the plane has no inverse")
    func singular() {
        #expect(ProjectiveTransform([1, 2, 0], [2, 4, 0], [0, 0, 1]).inverse == nil)
        #expect(ProjectiveTransform.scale(0, about: [1, 1]).inverse == nil)
    }
}
