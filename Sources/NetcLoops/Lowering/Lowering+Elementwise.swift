import NetcGraph

extension Lowering {
    /// Element `access` of elementwise value `value`, computed from its operands (the compiled form of the
    /// interpreter's `Elementwise`, `Dropout`, `BatchNorm` apply, `movingAverage` and `Optimizers` kernels):
    /// in `f64` with the interpreter's order of operations, rounded to `f32` once, so results match it bit
    /// for bit (BatchNorm's normalisation excepted: see `normalized`).
    func elementwise(_ value: ValueID, _ access: Access, _ builder: inout KernelBuilder) -> Expr {
        let node = graph[value]
        func operand(_ position: Int) -> Expr { element(node.inputs[position], access, &builder) }
        func perChannel(_ position: Int, row: Int = 0) -> Expr {
            let shape = graph.type(of: node.inputs[0]).shape
            let c = channel(access, shape: shape)
            return element(node.inputs[position], Access(.integer(row * shape[1]) + c), &builder)
        }
        func wide(_ position: Int) -> Expr { .convert(operand(position), to: .float64) }
        func wideChannel(_ position: Int, row: Int = 0) -> Expr {
            .convert(perChannel(position, row: row), to: .float64)
        }
        switch node.op {
        case .relu:
            return .binary(.maximum, operand(0), .f32(0))
        case .activation(let activation):
            return narrow(activation.value(at: builder.bind(wide(0), .float64), &builder))
        case .activationBackward(let activation):
            let slope = activation.derivative(at: builder.bind(wide(0), .float64), &builder)
            return narrow(.binary(.multiply, wide(1), slope))
        case .add:
            return narrow(.binary(.add, wide(0), wide(1)))
        case .reluBackward:
            return .select(.compare(.greater, operand(0), .f32(0)), then: operand(1), otherwise: .f32(0))
        case .dropout(let dropout), .dropoutBackward(let dropout):
            let word = Expr.philox(
                key: operand(1), step: operand(2), stream: RandomStream.dropout(layer: dropout.stream),
                index: access.flat)
            let threshold = Int((dropout.probability * 0x1p24).rounded(.up))
            let kept = Expr.compare(.greaterOrEqual, .binary(.shiftRight, word, 8), .integer(threshold))
            let scaled = narrow(.binary(.multiply, wide(0), .f64(1 / (1 - dropout.probability))))
            return .select(kept, then: scaled, otherwise: .f32(0))
        case .batchNormTraining(let epsilon):
            return normalized(
                operand(0), mean: wideChannel(1), variance: wideChannel(1, row: 1), gamma: wideChannel(2),
                beta: wideChannel(3), epsilon: epsilon)
        case .batchNormInference(let epsilon):
            return normalized(
                operand(0), mean: wideChannel(1), variance: wideChannel(2), gamma: wideChannel(3), beta: wideChannel(4),
                epsilon: epsilon)
        case .movingAverage(let momentum, let row, let scale):
            let channels = graph.type(of: node.inputs[0]).elementCount
            let statistic = element(node.inputs[1], Access(.integer(row * channels) + access.flat), &builder)
            return narrow(
                .binary(
                    .add, .binary(.multiply, .f64(1 - momentum), wide(0)),
                    .binary(.multiply, .f64(momentum * scale), .convert(statistic, to: .float64))))
        case .increment:
            return operand(0) + 1
        case .adamFirstMoment(let adam):
            let gradient = decayed(wide(1), parameter: wide(2), weightDecay: adam.gradientWeightDecay)
            return narrow(
                .binary(
                    .add, .binary(.multiply, .f64(adam.beta1), wide(0)),
                    .binary(.multiply, .f64(1 - adam.beta1), gradient)))
        case .adamSecondMoment(let adam):
            let gradient = builder.bind(
                decayed(wide(1), parameter: wide(2), weightDecay: adam.gradientWeightDecay), .float64)
            let squared = Expr.binary(.multiply, .binary(.multiply, .f64(1 - adam.beta2), gradient), gradient)
            return narrow(.binary(.add, .binary(.multiply, .f64(adam.beta2), wide(0)), squared))
        case .adamUpdate(let adam):
            let t = Expr.convert(operand(4), to: .float64)
            let stepSize = Expr.binary(
                .divide, wide(3), .binary(.subtract, .f64(1), .binary(.power, .f64(adam.beta1), t)))
            let correction = Expr.unary(.sqrt, .binary(.subtract, .f64(1), .binary(.power, .f64(adam.beta2), t)))
            let denominator = Expr.binary(
                .add, .binary(.divide, .unary(.sqrt, wide(2)), correction), .f64(adam.epsilon))
            let change = Expr.binary(.divide, .binary(.multiply, stepSize, wide(1)), denominator)
            guard adam.decoupledDecay != 0 else { return narrow(.binary(.subtract, wide(0), change)) }
            let shrink = Expr.binary(.subtract, .f64(1), .binary(.multiply, wide(3), .f64(adam.decoupledDecay)))
            return narrow(.binary(.subtract, .binary(.multiply, wide(0), shrink), change))
        case .sgdMomentum(let sgd):
            let gradient = decayed(wide(1), parameter: wide(2), weightDecay: sgd.weightDecay)
            return narrow(.binary(.add, .binary(.multiply, .f64(sgd.momentum), wide(0)), gradient))
        case .sgdUpdate:
            return narrow(.binary(.subtract, wide(0), .binary(.multiply, wide(2), wide(1))))
        case .exponentialMovingAverage(let decay):
            let (average, parameter) = (builder.bind(wide(0), .float64), builder.bind(wide(1), .float64))
            let moved = Expr.binary(
                .add, average, .binary(.multiply, .f64(1 - decay), .binary(.subtract, parameter, average)))
            return narrow(.select(.compare(.greater, operand(2), .integer(1)), then: moved, otherwise: parameter))
        case .input, .parameter, .state, .constant, .conv2D, .linear, .maxPool, .avgPool, .globalAvgPool, .concat,
            .reshape, .batchMoments, .softmaxCrossEntropy, .conv2DBackwardInput, .conv2DBackwardWeight,
            .linearBackwardInput, .linearBackwardWeight, .sumToChannels, .maxPoolBackward, .avgPoolBackward,
            .globalAvgPoolBackward, .channelSlice, .batchNormTrainingBackward, .batchNormScaleGradient,
            .softmaxCrossEntropyBackward:
            preconditionFailure("\(node.op.mnemonic) is not elementwise")
        }
    }

    /// γ·((x − mean)·invstd) + β with invstd = 1/√(variance + ε), from `f64` operands, rounded to `f32`.
    /// γ·(x − mean)/√(variance + ε) + β as one `f32` multiply-add per element, x·scale + shift: the channel's
    /// scale and shift are computed in `f64` (once per channel where the loops allow) and rounded to `f32`, so
    /// the result may differ from the interpreter's by an `f32` rounding of each.
    private func normalized(
        _ x: Expr, mean: Expr, variance: Expr, gamma: Expr, beta: Expr, epsilon: Double
    ) -> Expr {
        let scale = Expr.binary(.divide, gamma, .unary(.sqrt, .binary(.add, variance, .f64(epsilon))))
        let shift = Expr.binary(.subtract, beta, .binary(.multiply, mean, scale))
        return .multiplyAdd(x, narrow(scale), narrow(shift))
    }

    /// g + λ·p in `f64`.
    private func decayed(_ gradient: Expr, parameter: Expr, weightDecay: Double) -> Expr {
        .binary(.add, gradient, .binary(.multiply, .f64(weightDecay), parameter))
    }

    /// An `f64` result rounded to `f32`, as the interpreter rounds every op's result.
    private func narrow(_ value: Expr) -> Expr { .convert(value, to: .float32) }

    /// A kernel computing each member at the same index and storing it; later members read earlier ones from
    /// locals (a parameter's optimizer update reads the new moments).
    mutating func lowerElementwise(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        forEachElement(graph.type(of: group.root).shape, &builder) { builder, access in
            computeAndStore(group.members, access, &builder)
        }
    }

    /// Every optimizer update in one loop over the flat blocks: parameter 0's update nodes, reading and writing
    /// the whole parameter, gradient and state blocks.
    ///
    /// The loop runs a vector of the target's lanes per iteration (the padded block is a whole number of
    /// `MemoryPlan.alignment`s, so of vectors): left to LLVM, a loop of unknown length in a kernel compiled for size
    /// is vectorised with every load and store masked, which on AMD CPUs took nearly three times as long (0.39
    /// against 0.14 ms of a step).
    mutating func lowerFlatOptimizer(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        guard let flat = fusion.flatOptimizer, let blocks = flatBlocks else {
            preconditionFailure("a flat optimizer group needs the flat layout")
        }
        var overrides: [ValueID: BufferID] = [
            flat.parameters[0]: blocks.parameters, flat.gradients[0]: blocks.gradients,
        ]
        for (role, states) in flat.states.enumerated() { overrides[states[0]] = blocks.states[role] }
        let targets = Dictionary(uniqueKeysWithValues: graph.updates.map { ($0.newValue, $0.target) })
        let lanes = target.lanes()
        precondition(arenas.flatCount % lanes == 0, "the padded parameter block is a whole number of vectors")
        builder.parallelLoop(arenas.flatCount / lanes) { builder, block in
            builder.vectorLoop(0..<lanes, lanes: lanes) { builder, lane in
                let i = block * .integer(lanes) + lane
                let access = Access(i, channel: i)
                for (source, buffer) in overrides { builder.computed[source] = .load(buffer, index: i) }
                for member in flat.template {
                    let value = builder.bind(elementwise(member, access, &builder), .float32)
                    builder.computed[member] = value
                    if let target = targets[member], let buffer = overrides[target] { builder.store(buffer, i, value) }
                }
            }
        }
    }

    /// Computes `members` at `access` in order, storing each.
    func computeAndStore(_ members: [ValueID], _ access: Access, _ builder: inout KernelBuilder) {
        for member in members {
            let type = ScalarType(graph.type(of: member).dtype)
            let value = builder.bind(elementwise(member, access, &builder), type)
            builder.computed[member] = value
            builder.store(buffer(member), access.flat, value)
        }
        for member in members { builder.computed[member] = nil }
    }
}
