import NetcGraph

/// The order the kernels run in: every group after the groups computing what it reads, and a group that
/// rewrites a persistent tensor in place after every group reading that tensor.
///
/// In a chain, sorting the groups by their last member is enough. In a DAG it is not: a BatchNorm backward
/// group takes in its gamma and beta gradients, which may come after another branch's nodes in the graph (the
/// two sides of a residual join get their gradients one after the other), while the convolution reading its
/// input gradient comes before them. So the groups are sorted topologically, taking among the groups that may
/// run the one whose last member comes first in the graph (which keeps a chain's order).
extension FusionPlan {
    func inExecutionOrder(_ groups: [FusionGroup]) -> [FusionGroup] {
        var owner: [ValueID: Int] = [:]
        for (index, group) in groups.enumerated() {
            for member in group.values { owner[member] = index }
        }
        var dependencies = Array(repeating: Set<Int>(), count: groups.count)
        for (index, group) in groups.enumerated() {
            for member in group.values {
                for input in graph[member].inputs {
                    dependencies[index].formUnion(producers(of: input, owner: owner))
                }
            }
        }
        // A persistent tensor updated in place must be read by everyone before it is rewritten.
        for update in graph.updates {
            guard let writer = owner[update.newValue] else { continue }
            for reader in readingGroups(of: update.target, owner: owner) where reader != writer {
                dependencies[writer].insert(reader)
            }
        }
        var dependents = Array(repeating: [Int](), count: groups.count)
        var waiting = Array(repeating: 0, count: groups.count)
        for (index, needs) in dependencies.enumerated() {
            for need in needs where need != index {
                dependents[need].append(index)
                waiting[index] += 1
            }
        }
        var ready = Set(groups.indices.filter { waiting[$0] == 0 })
        var ordered: [FusionGroup] = []
        while let next = ready.min(by: { groups[$0].lastMember < groups[$1].lastMember }) {
            ready.remove(next)
            ordered.append(groups[next])
            for dependent in dependents[next] {
                waiting[dependent] -= 1
                if waiting[dependent] == 0 { ready.insert(dependent) }
            }
        }
        precondition(ordered.count == groups.count, "the fusion groups depend on each other in a cycle")
        return ordered
    }

    /// The groups whose kernels compute `value` or, for a value recomputed where it is read, its operands.
    private func producers(of value: ValueID, owner: [ValueID: Int]) -> Set<Int> {
        switch placements[value.index] {
        case .source: return []
        case .alias(let root): return producers(of: root, owner: owner)
        case .inlined:
            return graph[value].inputs.reduce(into: Set<Int>()) { $0.formUnion(producers(of: $1, owner: owner)) }
        case .stored, .internal:
            guard let group = owner[value] else { preconditionFailure("\(graph[value].name) belongs to no group") }
            return [group]
        }
    }

    /// The groups whose kernels read `value`, directly or through values recomputed from it.
    private func readingGroups(of value: ValueID, owner: [ValueID: Int]) -> Set<Int> {
        var found = Set<Int>()
        for reader in readers[value.index].map(\.node) {
            switch placements[reader.index] {
            case .inlined, .alias: found.formUnion(readingGroups(of: reader, owner: owner))
            case .source, .stored, .internal: if let group = owner[reader] { found.insert(group) }
            }
        }
        return found
    }
}
