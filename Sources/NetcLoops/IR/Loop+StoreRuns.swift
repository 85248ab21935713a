/// Stores of a vector loop that write each lane's run of neighbouring elements.
///
/// A convolution vectorised over channels keeps a tile of a few neighbouring pixels × a vector of channels in
/// registers, and stores each pixel's vector into the channel planes: one element per lane, a plane apart. Taken
/// together, the tile's stores write for every lane (channel) a run of neighbouring pixels of its plane, which the
/// code generator can store as one short vector per lane after transposing the tile in registers, instead of one
/// element at a time.
public struct StoreRun: Hashable, Sendable {
    /// The buffer the run's stores write.
    public let buffer: BufferID
    /// The positions in the loop's body of the run's stores, by offset: the store at `positions[k]` writes element
    /// `k` of each lane's run.
    public let positions: [Int]
}

extension Loop {
    /// The runs of neighbouring elements that the stores of this vector loop's body write in each lane, at most
    /// `longest` stores each.
    ///
    /// A run's stores stand directly in the body (not under a condition or an inner loop), write one buffer at
    /// indices `base + k + stride · lane` for the same `base`, the offsets `k` being 0, 1, … with none repeated and
    /// runs at most `stride` long (so runs of different lanes never overlap), read no local that differs
    /// between lanes in their index, and read nothing of that buffer; no other statement between the run's first
    /// and last store touches the buffer, except stores of other elements of the same lanes' runs (such as the
    /// tile's other vector of channels, stored in between). Storing every element of a run where its last store
    /// stands, with each value computed where its own store stands, then means what the body means. `varying` are the locals that differ
    /// between lanes (`Stmt.localsVarying(in:)`).
    public func storeRuns(varying: Set<LocalID>, longest: Int) -> [StoreRun] {
        struct Candidate {
            let position: Int
            let buffer: BufferID
            let base: Expr
            let stride: Int
        }
        let candidates: [Candidate] = body.enumerated().compactMap { position, statement in
            guard case .store(let buffer, let index, let value) = statement,
                !index.depends(on: nil, orAnyOf: varying), let form = index.linearForm(in: variable),
                abs(form.stride) > 1
            else { return nil }
            var read = Set<BufferID>()
            index.collectBuffers(into: &read)
            value.collectBuffers(into: &read)
            return read.contains(buffer)
                ? nil : Candidate(position: position, buffer: buffer, base: form.base, stride: form.stride)
        }
        // Stores of one buffer and stride whose bases differ by constants: offset → position.
        var clusters: [(first: Candidate, positions: [Int: Int], repeated: Bool)] = []
        for candidate in candidates {
            let found = clusters.indices.lazy.compactMap { index -> (Int, Int)? in
                let first = clusters[index].first
                guard first.buffer == candidate.buffer, first.stride == candidate.stride,
                    let offset = candidate.base.constantOffset(from: first.base)
                else { return nil }
                return (index, offset)
            }.first
            guard let (index, offset) = found else {
                clusters.append((candidate, [0: candidate.position], false))
                continue
            }
            if clusters[index].positions[offset] != nil { clusters[index].repeated = true }
            clusters[index].positions[offset] = candidate.position
        }
        var runs: [StoreRun] = []
        for cluster in clusters where !cluster.repeated {
            let offsets = cluster.positions.keys.sorted()
            let limit = min(longest, abs(cluster.first.stride))
            var start = 0
            while start < offsets.count {
                var end = start + 1
                while end < offsets.count, offsets[end] == offsets[end - 1] + 1, end - start < limit { end += 1 }
                let positions = offsets[start..<end].map { cluster.positions[$0]! }
                if positions.count >= 2,
                    isUntouchedBetween(positions, cluster.first.buffer, besides: Set(cluster.positions.values))
                {
                    runs.append(StoreRun(buffer: cluster.first.buffer, positions: positions))
                }
                start = end
            }
        }
        return runs.sorted { $0.positions.max()! < $1.positions.max()! }
    }

    /// Whether no statement of the body between the first and the last of `positions` touches `buffer`, besides
    /// the stores at `stores`.
    private func isUntouchedBetween(_ positions: [Int], _ buffer: BufferID, besides stores: Set<Int>) -> Bool {
        (positions.min()!...positions.max()!).allSatisfy { position in
            guard !stores.contains(position) else { return true }
            var touched = Set<BufferID>()
            body[position].collectBuffers(into: &touched)
            return !touched.contains(buffer)
        }
    }
}
