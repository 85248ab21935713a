import Foundation

/// How many threads netc's parallel work (kernels, the parallel compiler, batch augmentation) uses by default.
public enum Processors {
    /// The processors this process may run on (`activeProcessorCount`: the affinity mask and cgroup quota),
    /// or fewer when a Slurm job step was given fewer (`SLURM_CPUS_PER_TASK`): a Slurm cluster without CPU
    /// binding (`TaskPlugin=task/none`) leaves every core of a node visible to a task that was allotted a few, and
    /// a task using them all would slow its neighbours and itself.
    public static let available = available(
        environment: ProcessInfo.processInfo.environment, active: ProcessInfo.processInfo.activeProcessorCount)

    /// ``available`` for a given environment and count of active processors.
    static func available(environment: [String: String], active: Int) -> Int {
        guard let allotted = environment["SLURM_CPUS_PER_TASK"].flatMap({ Int($0) }), allotted >= 1 else {
            return max(1, active)
        }
        return max(1, min(allotted, active))
    }
}
