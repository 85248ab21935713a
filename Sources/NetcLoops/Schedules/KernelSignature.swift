import NetcGraph

/// What a schedule is chosen for: one convolution or linear kernel's role and every size that shapes its loops,
/// the key of tuned schedules (`netc tune`) together with the CPU.
public struct KernelSignature: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Which of an op's three kernels.
    public enum Role: String, Hashable, Sendable, Codable, CaseIterable {
        /// The forward pass, y from x and w.
        case forward
        /// The gradient of the input, dx from dy and w.
        case inputGradient = "dx"
        /// The gradient of the weights, dw from x and dy.
        case weightGradient = "dw"
    }

    /// The op family: `conv2d` or `linear`.
    public var operation: String
    /// The role.
    public var role: Role
    /// The sizes: batch, input channels, height, width, output channels, kernel, stride, padding for a
    /// convolution; batch, input features, output features for a linear layer.
    public var sizes: [Int]
    /// Whether the kernel also sums its result per channel for BatchNorm's batch statistics as it stores it (a
    /// training forward convolution that BatchNorm reads: `FusionPlan.epilogueStatistics`). Those sums cost about a
    /// third of the first layer's forward pass and favour other tiles, so schedules are timed with them.
    public var sumsStatistics: Bool

    /// Creates a signature.
    public init(operation: String, role: Role, sizes: [Int], sumsStatistics: Bool = false) {
        self.operation = operation
        self.role = role
        self.sizes = sizes
        self.sumsStatistics = sumsStatistics
    }

    /// A convolution's signature (x `[N, Cin, H, W]`, `Cout` output channels).
    public init(
        convolution role: Role, input: [Int], outChannels: Int, _ attributes: ConvolutionAttributes,
        sumsStatistics: Bool = false
    ) {
        self.init(
            operation: "conv2d", role: role,
            sizes: input + [outChannels, attributes.kernel, attributes.stride, attributes.padding],
            sumsStatistics: sumsStatistics)
    }

    private enum CodingKeys: String, CodingKey {
        case operation, role, sizes, sumsStatistics
    }

    /// Reads a signature; caches written before `sumsStatistics` existed have none (false).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            operation: try container.decode(String.self, forKey: .operation),
            role: try container.decode(Role.self, forKey: .role),
            sizes: try container.decode([Int].self, forKey: .sizes),
            sumsStatistics: try container.decodeIfPresent(Bool.self, forKey: .sumsStatistics) ?? false)
    }

    /// A linear layer's signature.
    public init(linear role: Role, batch: Int, inFeatures: Int, outFeatures: Int) {
        self.init(operation: "linear", role: role, sizes: [batch, inFeatures, outFeatures])
    }

    /// `conv2d.forward 100x32x28x28 -> 32 k3 s2 p1 +statistics`, or `linear.dw 100x128 -> 10`.
    public var description: String {
        let head = "\(operation).\(role.rawValue) "
        if operation == "conv2d", sizes.count == 8 {
            return head + "\(sizes[0...3].map(String.init).joined(separator: "x")) -> \(sizes[4]) "
                + "k\(sizes[5]) s\(sizes[6]) p\(sizes[7])" + (sumsStatistics ? " +statistics" : "")
        }
        return head + "\(sizes.dropLast().map(String.init).joined(separator: "x")) -> \(sizes.last ?? 0)"
    }

    public static func < (a: KernelSignature, b: KernelSignature) -> Bool {
        a.description < b.description
    }
}
