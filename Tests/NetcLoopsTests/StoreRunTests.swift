import Testing

@testable import NetcLoops

private let (lane, row, column) = (
    Expr.variable(LoopVariable(0)), Expr.variable(LoopVariable(1)), Expr.variable(LoopVariable(2))
)
private let (output, other) = (BufferID(0), BufferID(1))

/// Which stores of a vector loop the code generator may store together as each lane's run of neighbouring elements
/// (`Loop.storeRuns`), the constant offsets between indices that finding them rests on (`Expr.constantOffset`), and
/// the powers of two that divide an index (`Expr.powerOfTwoFactor`).
@Suite struct StoreRunTests {

    /// Index differences worked out by hand: constants survive nesting, multiplication by constants and
    /// subtraction; a different multiple of a term, or a different term, is no constant difference.
    /// Powers of two that divide an index whatever its variables, worked out by hand (the alignment streaming
    /// stores claim rests on them): a plane of 28 × 28 rows is a multiple of 16, a row of 28 of 4, a variable of 1.
    @Test func powerOfTwoFactorsOfIndices() {
        let plane = ((row * 32 + column) * 28 + 5) * 28
        #expect(plane.powerOfTwoFactor(upTo: 64) == 4)
        #expect((plane * 4).powerOfTwoFactor(upTo: 64) == 16)
        #expect((plane + 24).powerOfTwoFactor(upTo: 64) == 4)
        #expect((plane + 26).powerOfTwoFactor(upTo: 64) == 2)
        #expect((plane - column).powerOfTwoFactor(upTo: 64) == 1)
        #expect((row * 64 + 128).powerOfTwoFactor(upTo: 16) == 16)
        #expect(Expr.integer(0).powerOfTwoFactor(upTo: 8) == 8)
        #expect((row / 4 * 4).powerOfTwoFactor(upTo: 8) == 4)
    }

    @Test func constantOffsetsBetweenIndices() {
        let plane = ((row * 32 + column) * 28 + 5) * 28
        #expect((plane + column * 2 + 3).constantOffset(from: plane + column * 2) == 3)
        #expect((plane + column * 2).constantOffset(from: plane + column * 2 + 3) == -3)
        #expect(((row + 1) * 28 - 2).constantOffset(from: row * 28) == 26)
        #expect((row / 2 + 1).constantOffset(from: row / 2) == 1)
        #expect((column * 2).constantOffset(from: column) == nil)
        #expect((row / 2).constantOffset(from: row / 3) == nil)
        #expect((row * column + 1).constantOffset(from: row * column) == 1)
        #expect((row - row + 4).constantOffset(from: 1) == 3)
    }

    /// A loop over `lane` with `lanes` lanes whose body is `body`.
    static func loop(_ body: [Stmt], lanes: Int = 8) -> Loop {
        Loop(LoopVariable(0), 0..<lanes, kind: .vector(lanes: lanes), body: body)
    }

    /// The store of `value` to element `offset` of each lane's run of 9 in `output`, at row `row`.
    static func store(_ offset: Int, _ value: Expr = .f32(1), buffer: BufferID = output) -> Stmt {
        .store(buffer, index: row * 100 + lane * 9 + .integer(offset), value: value)
    }

    /// Stores of offsets 0…4 in any order, with unrelated statements between them, are one run in offset order.
    @Test func neighbouringStoresFormOneRunInOffsetOrder() {
        let body: [Stmt] = [
            Self.store(2), .assign(LocalID(0), .load(other, index: lane)), Self.store(0), Self.store(1),
            .store(other, index: lane, value: .f32(0)), Self.store(4), Self.store(3),
        ]
        #expect(
            Self.loop(body).storeRuns(varying: [LocalID(0)], longest: 8) == [
                StoreRun(buffer: output, positions: [2, 3, 0, 6, 5])
            ])
    }

    /// Two tiles' runs stored alternately (a convolution's two vectors of channels, pixel by pixel) are two runs: the
    /// other tile's stores write other elements.
    @Test func interleavedRunsOfOneBufferAreRunsEach() {
        let body = (0..<3).flatMap { [Self.store($0), Self.store(64 + $0)] }
        #expect(
            Self.loop(body).storeRuns(varying: [], longest: 8) == [
                StoreRun(buffer: output, positions: [0, 2, 4]), StoreRun(buffer: output, positions: [1, 3, 5]),
            ])
    }

    /// Runs stop at gaps and at `longest`; a single store is no run.
    @Test func runsStopAtGapsAndAtTheLongest() {
        let body = [0, 1, 2, 4, 5, 7].map { Self.store($0) }
        #expect(
            Self.loop(body).storeRuns(varying: [], longest: 8) == [
                StoreRun(buffer: output, positions: [0, 1, 2]), StoreRun(buffer: output, positions: [3, 4]),
            ])
        #expect(
            Self.loop((0..<5).map { Self.store($0) }).storeRuns(varying: [], longest: 2) == [
                StoreRun(buffer: output, positions: [0, 1]), StoreRun(buffer: output, positions: [2, 3]),
            ])
    }

    /// What would change the meaning if the stores moved to the last one (something between them touching the buffer,
    /// a value reading it, the same element stored twice, a varying local in the index), stores already contiguous
    /// across lanes, and stores under a condition: no run.
    @Test func storesThatMayNotMoveFormNoRun() {
        let cases: [[Stmt]] = [
            [Self.store(0), .assign(LocalID(0), .load(output, index: 3)), Self.store(1)],
            [Self.store(0), Self.store(1, .load(output, index: lane))],
            [Self.store(0), Self.store(1), Self.store(1)],
            [
                .store(output, index: .local(LocalID(1)) + lane * 9, value: .f32(1)),
                .store(output, index: .local(LocalID(1)) + lane * 9 + 1, value: .f32(1)),
            ],
            [.store(output, index: lane + 8, value: .f32(1)), .store(output, index: lane + 9, value: .f32(1))],
            [.when(.compare(.less, row, 3), [Self.store(0), Self.store(1)])],
        ]
        for body in cases {
            #expect(Self.loop(body).storeRuns(varying: [LocalID(1)], longest: 8).isEmpty, "\(body)")
        }
    }

    /// Lanes a stride apart take runs of at most the stride, so runs of neighbouring lanes never overlap.
    @Test func runsAreAtMostTheStrideLong() {
        let body =
            (0..<3).map { Stmt.store(output, index: lane * 2 + .integer($0 * 16), value: .f32(1)) }
            + (0..<3).map { Stmt.store(other, index: lane * 2 + .integer($0), value: .f32(1)) }
        #expect(Self.loop(body).storeRuns(varying: [], longest: 8) == [StoreRun(buffer: other, positions: [3, 4])])
    }
}
