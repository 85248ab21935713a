import Foundation
import NetcGraph
import NetcLoops
import Testing

@testable import NetcLLVM

/// The compiled `exp`, `tanh` and `erf` of `f64` values (`KernelEmitter.exponential`, `hyperbolicTangent`,
/// `errorFunction`) against the C library's, which is within one unit in the last place of the true value: within a
/// stated number of units of it everywhere (arguments across the whole range, at the edges of each function's
/// reduction or pieces, tiny arguments), the same ±∞, ±0 and NaN, 0 where the result would be subnormal (compiled
/// code flushes denormals to zero), and the same bits in a vector loop's lanes as in a serial loop.
@Suite struct CompiledLibraryFunctionTests {
    /// A function the code generator compiles instead of calling the C library.
    enum Function: CustomStringConvertible, CaseIterable {
        case exp, tanh, erf

        var description: String { "\(op)" }

        /// The loop IR's operator.
        var op: UnaryOperator {
            switch self {
            case .exp: .exp
            case .tanh: .tanh
            case .erf: .erf
            }
        }

        /// The C library's value.
        func reference(_ x: Double) -> Double {
            switch self {
            case .exp: Foundation.exp(x)
            case .tanh: Foundation.tanh(x)
            case .erf: Foundation.erf(x)
            }
        }

        /// The most units in the last place the compiled value may differ from the C library's.
        var bound: Int64 {
            switch self {
            case .exp: 1
            case .tanh: 2
            case .erf: 2
            }
        }

        /// The edges of the reduction or of the pieces by hand, then values drawn on a logarithmic scale of
        /// magnitude, either sign.
        var arguments: [Double] {
            let edges: [Double]
            let range: ClosedRange<Double>
            switch self {
            case .exp:
                edges = [
                    0, -0.0, 1, -1, 0.5 * M_LN2, -0.5 * M_LN2, M_LN2, 1e-300, -1e-300, 1e-10, -1e-10, 2, 10, 88.7, 100,
                    709.7, 709.78, 709.79, 710, 800, -708.3, -708.4, -708.5, -720, -744, -745.1, -745.13, -745.2, -746,
                    -800,
                ]
                range = 0.001...750
            case .tanh:
                edges =
                    [
                        0.25 * M_LN2, 0.75 * M_LN2, 1e-300, 1e-10, 1e-5, 0.1, 0.5, 0.55, 1, 5, 18, 19.06, 20, 21, 25,
                        709,
                        1e300,
                    ].flatMap { [$0, -$0] } + [0, -0.0]
                range = 1e-6...30
            case .erf:
                edges =
                    [
                        1e-300, 1e-10, 0.5, 1, 1.5, 1.9999999999, 2, 2.0000000001, 3, 3.9999999999, 4, 4.0000000001, 5,
                        5.92, 6, 6.5, 27, 1e300,
                    ].flatMap { [$0, -$0] } + [0, -0.0]
                range = 1e-4...8
            }
            let sampler = Philox(seed: 7)
            let drawn = (0..<(1024 - edges.count - 3)).map { index -> Double in
                let magnitude = Foundation.exp(
                    Foundation.log(range.lowerBound)
                        + (Foundation.log(range.upperBound) - Foundation.log(range.lowerBound))
                        * sampler.uniform(stream: 1, step: 0, index: UInt32(index)))
                return sampler.uniform(stream: 2, step: 0, index: UInt32(index)) < 0.5 ? -magnitude : magnitude
            }
            return edges + [.infinity, -.infinity, .nan] + drawn
        }
    }

    /// b1[i] = f(b0[i]) over the function's arguments, in a vector loop of `lanes` or serially.
    static func run(_ function: Function, lanes: Int?) throws -> [Double] {
        let arguments = function.arguments
        let count = arguments.count
        let buffers = (0..<2).map { index in
            Buffer(
                name: "b\(index)", elementType: .float64, count: count,
                location: MemoryView(arena: .workspace, byteOffset: index * count * 8))
        }
        let i = LoopVariable(0)
        let value = Expr.unary(function.op, .load(BufferID(0), index: .variable(i)))
        let loop = Loop(
            i, 0..<count, kind: lanes.map { .vector(lanes: $0) } ?? .serial,
            body: [.store(BufferID(1), index: .variable(i), value: value)])
        let kernel = Kernel(name: "\(function)", computes: [], locals: [], variableCount: 1, body: [.loop(loop)])
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

    /// The doubles in order as integers, so that their difference counts the doubles between two values of either
    /// sign (−0 and +0 both 0).
    static func ordinal(_ value: Double) -> Int64 {
        let magnitude = Int64(bitPattern: value.magnitude.bitPattern)
        return value.sign == .minus ? -magnitude : magnitude
    }

    @Test(arguments: Function.allCases, [nil, 4, 8])
    func withinTheBoundOfTheCLibrary(function: Function, lanes: Int?) throws {
        let results = try Self.run(function, lanes: lanes)
        var worst: Int64 = 0
        for (argument, result) in zip(function.arguments, results) {
            // Compiled code runs with denormals flushed to zero: a result below the smallest normal double is 0.
            let exact = function.reference(argument)
            let expected = exact.magnitude < Double.leastNormalMagnitude ? (exact.sign == .minus ? -0.0 : 0) : exact
            if expected.isNaN {
                #expect(result.isNaN, "\(function)(\(argument))")
                continue
            }
            let distance = abs(Self.ordinal(result) - Self.ordinal(expected))
            worst = max(worst, distance)
            #expect(distance <= function.bound, "\(function)(\(argument)) = \(result), the C library's \(expected)")
            #expect(result.sign == expected.sign, "\(function)(\(argument)) = \(result), the C library's \(expected)")
        }
        #expect(worst <= function.bound)
    }

    @Test(arguments: Function.allCases)
    func vectorLanesGiveTheSerialBits(function: Function) throws {
        let serial = try Self.run(function, lanes: nil)
        for lanes in [4, 8] {
            #expect(try Self.run(function, lanes: lanes).map(\.bitPattern) == serial.map(\.bitPattern))
        }
    }
}
