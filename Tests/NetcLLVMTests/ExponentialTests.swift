import Foundation
import NetcGraph
import NetcLoops
import Testing

@testable import NetcLLVM

/// The compiled `exp` of `f64` values (`KernelEmitter.exponential`) against the C library's, which is within one
/// unit in the last place of the true value: within 1 unit of it everywhere (arguments across the whole range,
/// around the overflow and underflow thresholds, tiny arguments), the same ±∞, 0 and NaN, 0 where the result would be
/// subnormal (compiled code flushes denormals to zero), and the same bits in a vector loop's lanes as in a serial loop.
@Suite struct ExponentialTests {
    /// The arguments: the edges of the range and of the reduction by hand, then values drawn from 0.001 to 750 in
    /// magnitude on a logarithmic scale, either sign.
    static let arguments: [Double] = {
        let edges: [Double] = [
            0, -0.0, 1, -1, 0.5 * M_LN2, -0.5 * M_LN2, M_LN2, 1e-300, -1e-300, 1e-10, -1e-10, 2, 10, 88.7, 100,
            709.7, 709.78, 709.79, 710, 800, -708.3, -708.4, -708.5, -720, -744, -745.1, -745.13, -745.2, -746, -800,
            .infinity, -.infinity, .nan,
        ]
        let sampler = Philox(seed: 7)
        let drawn = (0..<(1024 - edges.count)).map { index -> Double in
            let magnitude = exp(
                log(0.001) + (log(750) - log(0.001)) * sampler.uniform(stream: 1, step: 0, index: UInt32(index)))
            return sampler.uniform(stream: 2, step: 0, index: UInt32(index)) < 0.5 ? -magnitude : magnitude
        }
        return edges + drawn
    }()

    /// b1[i] = exp(b0[i]) over the arguments, in a vector loop of `lanes` or serially.
    static func run(lanes: Int?) throws -> [Double] {
        let count = arguments.count
        let buffers = (0..<2).map { index in
            Buffer(
                name: "b\(index)", elementType: .float64, count: count,
                location: MemoryView(arena: .workspace, byteOffset: index * count * 8))
        }
        let i = LoopVariable(0)
        let loop = Loop(
            i, 0..<count, kind: lanes.map { .vector(lanes: $0) } ?? .serial,
            body: [
                .store(BufferID(1), index: .variable(i), value: .unary(.exp, .load(BufferID(0), index: .variable(i))))
            ])
        let kernel = Kernel(name: "exponential", computes: [], locals: [], variableCount: 1, body: [.loop(loop)])
        return try WorkspaceKernel.run(
            kernel, buffers: buffers, bytes: 2 * count * 8,
            prepare: { workspace in
                let values = workspace.bindMemory(to: Double.self, capacity: count)
                for (index, argument) in arguments.enumerated() { values[index] = argument }
            },
            read: { workspace in
                let values = (workspace + count * 8).bindMemory(to: Double.self, capacity: count)
                return (0..<count).map { values[$0] }
            })
    }

    @Test(arguments: [nil, 4, 8])
    func withinOneUnitInTheLastPlaceOfTheCLibrary(lanes: Int?) throws {
        let results = try Self.run(lanes: lanes)
        var worst = 0
        for (argument, result) in zip(Self.arguments, results) {
            // Compiled code runs with denormals flushed to zero: a result below the smallest normal double is 0.
            let exact = exp(argument)
            let expected = exact < Double.leastNormalMagnitude ? 0 : exact
            if expected.isNaN {
                #expect(result.isNaN, "exp(\(argument))")
                continue
            }
            // Both non-negative, so the distance between their bit patterns counts the doubles between them.
            let distance = abs(Int64(bitPattern: result.bitPattern) - Int64(bitPattern: expected.bitPattern))
            worst = max(worst, Int(distance))
            #expect(distance <= 1, "exp(\(argument)) = \(result), the C library's \(expected)")
        }
        #expect(worst <= 1)
    }

    @Test func vectorLanesGiveTheSerialBits() throws {
        let serial = try Self.run(lanes: nil)
        for lanes in [4, 8] {
            #expect(try Self.run(lanes: lanes).map(\.bitPattern) == serial.map(\.bitPattern))
        }
    }
}
