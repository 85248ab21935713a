import NetcGraph
import NetcLoops
import Testing

@testable import NetcLLVM

/// A vector loop means what the same loop run serially means: the code generator's vector form (vector loads and
/// stores, gathers, scatters, strided reads and writes, per-channel reads that wrap around a channel count, varying
/// and uniform locals, serial loops and uniform conditions inside, narrow and repeated vectors) gives the serial
/// loop's bits exactly.
@Suite struct VectorLoopTests {
    /// Buffers: b0 input (f32, 256), b1 output (f32, 256), b2 strided and scattered output (f32, 256), b3 last-lane
    /// slot (f32, 4), b4 gathered output (f32, 64), b5 dropout words (i64, 64).
    static let sizes: [(ScalarType, Int)] = [
        (.float32, 256), (.float32, 256), (.float32, 256), (.float32, 4),
        (.float32, 64), (.int64, 64),
    ]

    /// The body exercising every form, over lane variable i0 (trip count `count`) with a serial loop i1 inside.
    static func kernel(lanes: Int, count: Int, vector: Bool) -> Kernel {
        let (lane, inner) = (Expr.variable(LoopVariable(0)), Expr.variable(LoopVariable(1)))
        let (sum, scaled, index) = (LocalID(0), LocalID(1), LocalID(2))
        let body: [Stmt] = [
            .assign(sum, .load(BufferID(0), index: lane)),
            .assign(scaled, .f32(0.5)),
            .loop(
                Loop(
                    LoopVariable(1), 0..<3,
                    body: [
                        // A uniform condition inside the vector loop, and a uniform load feeding every lane.
                        .when(
                            .compare(.less, inner, 2),
                            [
                                .assign(
                                    sum,
                                    .multiplyAdd(.load(BufferID(0), index: inner * 64 + 7), .local(sum), .local(sum)))
                            ]),
                        .assign(scaled, .binary(.multiply, .local(scaled), .f32(1.5))),
                    ])),
            // Contiguous store of a varying value; strided store (lane by lane); an index through a varying local,
            // distinct in every lane (5 and 64 are coprime): a scatter, then a gather.
            .store(BufferID(1), index: lane + 3, value: .binary(.maximum, .local(sum), .local(scaled))),
            .store(BufferID(2), index: lane * 3, value: .unary(.negate, .local(sum))),
            .assign(index, (lane * 5 + 1) % 64),
            .store(BufferID(2), index: .local(index) + 192, value: .local(sum)),
            // Per-channel reads across planes: wrapping around 16 from a multiple of the lanes (one vector load,
            // except for 12 lanes) and from 4 (a vector of 8 lanes wraps inside itself: lane by lane); a read 3
            // elements apart per lane (lane by lane from one index).
            .store(
                BufferID(4), index: lane,
                value: .load(BufferID(0), index: .local(index)) + .load(BufferID(0), index: 200 + (lane + 48) % 16)
                    + .load(BufferID(0), index: 100 + (lane + 4) % 16) + .load(BufferID(0), index: lane * 3 + 1)),
            // A uniform index with a varying value keeps the last lane's, as the serial loop does.
            .store(BufferID(3), index: 1, value: .local(sum)),
            .store(
                BufferID(5), index: lane,
                value: .philox(
                    key: 3, step: 7, stream: 2,
                    index: .convert(
                        .select(.compare(.greater, .local(sum), .f32(0)), then: lane, otherwise: lane + 100), to: .int64
                    ))),
        ]
        let loop = Loop(LoopVariable(0), 0..<count, kind: vector ? .vector(lanes: lanes) : .serial, body: body)
        return Kernel(
            name: "vectors", computes: [], locals: [.float32, .float32, .int64], variableCount: 2,
            body: [.loop(loop), .store(BufferID(3), index: 2, value: .local(sum))])
    }

    /// Runs `kernel` on the same input and returns every output buffer's bit patterns.
    static func run(_ kernel: Kernel) throws -> [[UInt64]] {
        var offset = 0
        let buffers = sizes.enumerated().map { index, size in
            defer { offset += (size.0.byteCount * size.1 + 63) / 64 * 64 }
            return Buffer(
                name: "b\(index)", elementType: size.0, count: size.1,
                location: MemoryView(arena: .workspace, byteOffset: offset))
        }
        return try WorkspaceKernel.run(
            kernel, buffers: buffers, bytes: offset,
            prepare: { workspace in
                let input = workspace.bindMemory(to: Float.self, capacity: 256)
                for (i, value) in RandomValues.uniform(count: 256, stream: 40).enumerated() { input[i] = Float(value) }
            },
            read: { workspace in
                buffers.dropFirst().map { buffer in
                    let start = workspace + buffer.location.byteOffset
                    return (0..<buffer.count).map { i in
                        buffer.elementType == .int64
                            ? UInt64(bitPattern: start.load(fromByteOffset: 8 * i, as: Int64.self))
                            : UInt64(start.load(fromByteOffset: 4 * i, as: UInt32.self))
                    }
                }
            })
    }

    @Test(arguments: [(16, 16), (8, 32), (12, 12), (4, 60)])
    func vectorLoopGivesTheSerialLoopsBits(lanes: Int, count: Int) throws {
        let serial = try Self.run(Self.kernel(lanes: lanes, count: count, vector: false))
        let vector = try Self.run(Self.kernel(lanes: lanes, count: count, vector: true))
        for (index, (a, b)) in zip(serial, vector).enumerated() {
            #expect(a == b, "buffer b\(index + 1) differs")
        }
        #expect(serial[0].contains { $0 != 0 })
    }
}

/// Stores that write each lane's run of neighbouring elements (`StoreRun`), transposed in registers and stored as one
/// short vector per lane, give the serial loop's bits: runs of 2 to 14 elements (powers of two and not), written in
/// any order around unrelated statements and interleaved with another tile's run (as a convolution stores its second
/// vector of channels), of varying and uniform values, in 4, 8 and 16 lanes, and in 12 lanes, which store lane by lane.
@Suite struct StoreRunVectorLoopTests {
    /// Buffer b1 receives two runs of `length` per lane, `length + 1` apart (element `length` of each lane is never
    /// written), the second 128 elements on; b2 an unrelated value stored between the runs' stores.
    static func kernel(lanes: Int, count: Int, length: Int, vector: Bool) -> Kernel {
        let lane = Expr.variable(LoopVariable(0))
        let value = LocalID(0)
        // Offsets in a scrambled order: odd ones first, then even ones backwards.
        let order = Array(stride(from: 1, to: length, by: 2)) + Array(stride(from: 0, to: length, by: 2)).reversed()
        var body: [Stmt] = [.assign(value, .load(BufferID(0), index: lane * 3))]
        for (position, offset) in order.enumerated() {
            let element: Expr =
                offset == 2
                ? .f32(0.25)
                : .binary(.multiply, .load(BufferID(0), index: lane * 3 + .integer(offset)), .f32(Double(offset + 1)))
            body.append(.store(BufferID(1), index: lane * .integer(length + 1) + .integer(offset), value: element))
            body.append(
                .store(
                    BufferID(1), index: lane * .integer(length + 1) + .integer(128 + offset),
                    value: .binary(.add, element, .local(value))))
            if position == 0 {
                body.append(.assign(value, .binary(.add, .local(value), .f32(1))))
                body.append(.store(BufferID(2), index: lane, value: .local(value)))
            }
        }
        let loop = Loop(LoopVariable(0), 0..<count, kind: vector ? .vector(lanes: lanes) : .serial, body: body)
        return Kernel(name: "runs", computes: [], locals: [.float32], variableCount: 1, body: [.loop(loop)])
    }

    @Test(arguments: [(4, 2), (8, 3), (16, 5), (8, 8), (8, 14), (16, 6), (12, 5), (4, 9)])
    func runsGiveTheSerialLoopsBits(lanes: Int, length: Int) throws {
        // As many whole vectors as each half of b1's 256 elements holds.
        let count = 128 / (length + 1) / lanes * lanes
        let serial = try VectorLoopTests.run(Self.kernel(lanes: lanes, count: count, length: length, vector: false))
        let vector = try VectorLoopTests.run(Self.kernel(lanes: lanes, count: count, length: length, vector: true))
        for (index, (a, b)) in zip(serial, vector).enumerated() {
            #expect(a == b, "buffer b\(index + 1) differs")
        }
        #expect(serial[0].contains { $0 != 0 })
    }
}
