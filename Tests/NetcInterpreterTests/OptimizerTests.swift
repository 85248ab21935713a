import NetcInterpreter
import Testing

@testable import NetcGraph  // for StateUpdate's memberwise initialiser, which is not public

@Suite("Optimizers")
struct OptimizerTests {
    /// Appends an optimizer's nodes and updates for parameter p, gradient g, learning rate and step.
    private typealias UpdateBuilder = (inout Graph, _ p: ValueID, _ g: ValueID, _ lr: ValueID, _ step: ValueID) -> Void

    /// A one-element parameter p = 1 updated by an optimizer from a gradient held in the state `g`, with the
    /// learning rate 0.1; returns the persistent tensor `watched` (p by default) after each of two steps with
    /// gradients 0.5 and then −0.25.
    private func twoSteps(watching watched: String = "p", _ addUpdates: UpdateBuilder) throws -> [Double] {
        var graph = Graph()
        let p = graph.add(.parameter(.constant(1)), [], type: .float(1), name: "p")
        let g = graph.add(.state(.constant(0)), [], type: .float(1), name: "g")
        let learningRate = graph.add(.input(.learningRate), [], type: .scalar(.float32), name: "lr")
        let step = graph.add(.input(.step), [], type: .scalar(.int64), name: "step")
        addUpdates(&graph, p, g, learningRate, step)
        let executable = try Interpreter(precision: .float64).prepare(graph, seed: 0)
        var parameters: [Double] = []
        for (number, gradient) in [0.5, -0.25].enumerated() {
            try executable.setPersistent(named: "g", to: Tensor(.float(1), [gradient]))
            _ = try executable.run([.learningRate: .scalar(0.1), .step: .scalar(Double(number + 1), .int64)])
            parameters.append(try #require(executable.persistent(named: watched)).scalars[0])
        }
        return parameters
    }

    /// Adam (β₁ 0.9, β₂ 0.999, ε 1e-8, lr 0.1), p = 1, g = 0.5 then −0.25, worked by hand:
    ///
    /// Without weight decay. Step 1: m = 0.1·0.5 = 0.05, v = 0.001·0.25 = 0.00025; lr/(1 − 0.9) = 1;
    /// √v/√(1 − 0.999) = 0.0158114/0.0316228 = 0.5, so p = 1 − 0.05/(0.5 + 1e-8) = 0.900000002.
    /// Step 2: m = 0.9·0.05 − 0.1·0.25 = 0.02, v = 0.999·0.00025 + 0.001·0.0625 = 0.00031225;
    /// lr/(1 − 0.81) = 0.5263158; √v/√(1 − 0.998001) = 0.0176706/0.0447102 = 0.3952254, so
    /// p = 0.900000002 − 0.5263158·0.02/0.3952254 = 0.900000002 − 0.0266337 = 0.8733663.
    ///
    /// With weight decay 0.1 (added to the gradient). Step 1: g' = 0.5 + 0.1·1 = 0.6, m = 0.06, v = 0.00036,
    /// √v/√0.001 = 0.6, so p = 1 − 0.06/(0.6 + 1e-8) = 0.9000000017. Step 2: g' = −0.25 + 0.1·0.9000000017 =
    /// −0.16, m = 0.054 − 0.016 = 0.038, v = 0.999·0.00036 + 0.001·0.0256 = 0.00038524;
    /// √v/√0.001999 = 0.0196275/0.0447102 = 0.4389947, so p = 0.9000000017 − 0.5263158·0.038/0.4389947
    /// = 0.9000000017 − 0.0455586 = 0.8544414.
    ///
    /// AdamW, decoupled weight decay 0.1 (p scaled by 1 − lr·λ = 0.99 before the Adam step, the moments seeing
    /// the bare gradient): step 1, p = 0.99 − 0.05/(0.5 + 1e-8) = 0.890000002; step 2, p = 0.99·0.890000002
    /// − 0.0266337 (the moments of the first case) = 0.8811000020 − 0.0266337 = 0.8544663. PyTorch's
    /// `torch.optim.AdamW(lr=0.1, weight_decay=0.1)` gives 0.890000002 and 0.8544662987.
    @Test(arguments: [
        (0.0, false, [0.900000002, 0.8733663]), (0.1, false, [0.9000000017, 0.8544414]),
        (0.1, true, [0.890000002, 0.8544663]),
    ])
    func adam(weightDecay: Double, decoupled: Bool, expected: [Double]) throws {
        let adam = AdamAttributes(weightDecay: weightDecay, decoupledWeightDecay: decoupled)
        let parameters = try twoSteps { graph, p, g, learningRate, step in
            let m = graph.add(.state(.constant(0)), [], type: .float(1), name: "m")
            let v = graph.add(.state(.constant(0)), [], type: .float(1), name: "v")
            let newM = graph.add(.adamFirstMoment(adam), [m, g, p], name: "m.update")
            let newV = graph.add(.adamSecondMoment(adam), [v, g, p], name: "v.update")
            let newP = graph.add(.adamUpdate(adam), [p, newM, newV, learningRate, step], name: "p.update")
            graph.updates = [
                StateUpdate(target: m, newValue: newM), StateUpdate(target: v, newValue: newV),
                StateUpdate(target: p, newValue: newP),
            ]
        }
        #expect(abs(parameters[0] - expected[0]) < 1e-10)
        #expect(abs(parameters[1] - expected[1]) < 1e-7)
    }

    /// SGD with momentum 0.9, lr 0.1, p = 1, g = 0.5 then −0.25, worked by hand:
    /// without weight decay, buffer 0.5 → p = 1 − 0.05 = 0.95; buffer 0.9·0.5 − 0.25 = 0.2 → p = 0.95 − 0.02 = 0.93.
    /// With weight decay 0.1: buffer 0.5 + 0.1 = 0.6 → p = 0.94; buffer 0.54 + (−0.25 + 0.094) = 0.384
    /// → p = 0.94 − 0.0384 = 0.9016.
    @Test(arguments: [(0.0, [0.95, 0.93]), (0.1, [0.94, 0.9016])])
    func sgdMomentum(weightDecay: Double, expected: [Double]) throws {
        let sgd = SGDAttributes(momentum: 0.9, weightDecay: weightDecay)
        let parameters = try twoSteps { graph, p, g, learningRate, _ in
            let buffer = graph.add(.state(.constant(0)), [], type: .float(1), name: "buffer")
            let newBuffer = graph.add(.sgdMomentum(sgd), [buffer, g, p], name: "buffer.update")
            let newP = graph.add(.sgdUpdate, [p, newBuffer, learningRate], name: "p.update")
            graph.updates = [StateUpdate(target: buffer, newValue: newBuffer), StateUpdate(target: p, newValue: newP)]
        }
        #expect(zip(parameters, expected).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    /// The exponential moving average (decay 0.9) of the SGD case without weight decay: step 1 copies the updated
    /// parameter, 0.95; step 2 gives 0.95 + 0.1·(0.93 − 0.95) = 0.948, as PyTorch's
    /// `AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9))` updated after each `step()` does.
    @Test func exponentialMovingAverage() throws {
        let averages = try twoSteps(watching: "p.ema") { graph, p, g, learningRate, step in
            let buffer = graph.add(.state(.constant(0)), [], type: .float(1), name: "buffer")
            let average = graph.add(.state(.constant(0)), [], type: .float(1), name: "p.ema")
            let newBuffer = graph.add(
                .sgdMomentum(SGDAttributes(momentum: 0.9)), [buffer, g, p], name: "buffer.update")
            let newP = graph.add(.sgdUpdate, [p, newBuffer, learningRate], name: "p.update")
            let newAverage = graph.add(
                .exponentialMovingAverage(decay: 0.9), [average, newP, step], name: "p.ema.update")
            graph.updates = [
                StateUpdate(target: buffer, newValue: newBuffer), StateUpdate(target: p, newValue: newP),
                StateUpdate(target: average, newValue: newAverage),
            ]
        }
        #expect(zip(averages, [0.95, 0.948]).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}
