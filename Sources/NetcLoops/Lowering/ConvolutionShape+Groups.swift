import NetcGraph

extension ConvolutionAttributes {
    /// Whether the convolution has groups or dilation, which the channel-vectorised lowering
    /// (`Lowering+Convolution.swift`) does not handle: such convolutions run over padded planes
    /// (`Lowering+PaddedPlaneConvolution.swift`).
    var needsGeneralLowering: Bool { groups > 1 || dilation > 1 }
}

/// The channels of a grouped convolution: weight `[Cout, Cin/groups, K, K]`.
extension ConvolutionShape {
    /// Input channels each output channel reads.
    var groupInChannels: Int { inChannels / attributes.groups }
    /// Output channels per group.
    var groupOutChannels: Int { outChannels / attributes.groups }

    /// The flat weight index of (co, j, ky, kx), j the input channel's place in co's group.
    func groupedWeightIndex(_ co: Expr, _ j: Expr, _ ky: Int, _ kx: Int) -> Expr {
        ((co * .integer(groupInChannels) + j) * .integer(kernel) + .integer(ky)) * .integer(kernel) + .integer(kx)
    }
}
