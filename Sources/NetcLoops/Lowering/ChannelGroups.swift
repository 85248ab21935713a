/// How a register tile's vectors cover a run of channels: whole tiles of `vectors` × `lanes` channels in a loop,
/// then what is left as narrower tiles, so no channel is padded and no lane computes a channel that is not there.
struct ChannelGroups {
    /// A tile's channels: `vectors` vectors of `lanes` lanes from channel `first`.
    struct Tile {
        var first: Expr
        var vectors: Int
        var lanes: Int
    }

    let channels, lanes, vectors: Int

    /// The number of whole tiles, run in a loop.
    var wholeTiles: Int { channels / (lanes * vectors) }

    /// Calls `body` with every tile: a loop over the whole ones, then at most two narrower ones (whole vectors
    /// of the left channels, then one vector of the channels left after those).
    func forEach(_ builder: inout KernelBuilder, _ body: (inout KernelBuilder, Tile) -> Void) {
        let width = lanes * vectors
        builder.loop(0..<wholeTiles) { builder, tile in
            body(&builder, Tile(first: tile * .integer(width), vectors: vectors, lanes: lanes))
        }
        var first = wholeTiles * width
        let rest = channels - first
        if rest / lanes > 0 {
            body(&builder, Tile(first: .integer(first), vectors: rest / lanes, lanes: lanes))
            first += rest / lanes * lanes
        }
        if rest % lanes > 0 { body(&builder, Tile(first: .integer(first), vectors: 1, lanes: rest % lanes)) }
    }
}

/// Consecutive positions that share a property, for splitting a loop where its body changes.
struct Runs<Key: Equatable> {
    /// Each run: its positions and their shared key.
    let runs: [(range: Range<Int>, key: Key)]

    /// Groups `0..<count` by `key`.
    init(_ count: Int, key: (Int) -> Key) {
        var runs: [(range: Range<Int>, key: Key)] = []
        for position in 0..<count {
            let value = key(position)
            if let last = runs.last, last.key == value {
                runs[runs.count - 1].range = last.range.lowerBound..<position + 1
            } else {
                runs.append((position..<position + 1, value))
            }
        }
        self.runs = runs
    }

    /// Calls `body` for every position with its key and its position times `step`: once for a run of one position
    /// (a constant), in a loop for a longer run.
    func forEach(step: Int, _ builder: inout KernelBuilder, _ body: (inout KernelBuilder, Expr, Key) -> Void) {
        for run in runs {
            if run.range.count == 1 {
                body(&builder, .integer(run.range.lowerBound * step), run.key)
            } else {
                builder.loop(run.range) { builder, position in body(&builder, position * .integer(step), run.key) }
            }
        }
    }
}
