import NetcGraph

/// How a graph becomes a `LoopProgram`; the one place that decides the order of the passes.
public struct LoopPipeline: Hashable, Sendable {
    /// Whether buffers whose values have died are reused. Off for debugging, so that every intermediate stays
    /// in memory after a run and dumped values do not lie (`netc check` turns it off).
    public var reusesMemory: Bool
    /// The CPU the loops are written for.
    public var target: TargetDescription
    /// Tuned schedules; kernels without one get the heuristic's.
    public var schedules: ScheduleTable

    /// Creates a pipeline.
    public init(reusesMemory: Bool = true, target: TargetDescription, schedules: ScheduleTable = ScheduleTable()) {
        self.reusesMemory = reusesMemory
        self.target = target
        self.schedules = schedules
    }

    /// Compiles a graph to kernels over planned buffers:
    /// 1. graph rewrites that expose fusion (`ReluBackwardFromOutput`);
    /// 2. fusion: which values share a kernel, are recomputed, or are stored (`FusionPlan`);
    /// 3. lowering: one loop nest per group, reading and writing buffers (`Lowering`);
    /// 4. the memory plan: arenas, offsets from liveness (`MemoryPlanner`).
    public func program(for graph: Graph) -> LoopProgram {
        let fusion = Self.fusion(of: graph)
        let rewritten = fusion.graph
        var lowering = Lowering(fusion: fusion, target: target, schedules: schedules)
        let kernels = lowering.kernels()
        var program = MemoryPlanner(reusesMemory: reusesMemory).program(
            graph: rewritten, buffers: lowering.buffers, kernels: kernels, layout: lowering.layout)
        program.storedValues = lowering.storedValues()
        return program
    }

    /// Steps 1 and 2 of `program(for:)`: the fusion plan of `graph` after the rewrites that expose fusion.
    static func fusion(of graph: Graph) -> FusionPlan {
        FusionPlan(ReluBackwardFromOutput().rewritten(graph))
    }
}
