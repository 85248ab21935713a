import NetcGraph

/// Where the tiles of a 3×3, stride-1 convolution computed by Winograd's `WinogradTile` read their inputs, for the
/// forward pass, the input gradient (each a convolution from its input to its result) and the weight gradient.
///
/// Each input plane is copied zero-bordered and split by the rows' and columns' remainders modulo m
/// (`Lowering.copyInput` at stride m, as `split` describes), so the α² inputs of tile (ty, tx) lie at fixed distances
/// (`offsets`) from position ty · pitch + tx, and a vector loop over a row's positions transforms a whole row of tiles.
struct WinogradGeometry {
    /// The algorithm.
    let tile: WinogradTile
    /// The convolution, from its input to its result.
    let g: ConvolutionShape
    /// Rows and columns of tiles covering the result.
    let tiles: (rows: Int, columns: Int)
    /// The convolution as the split planes' copy reads it: kernel α, stride m.
    let split: ConvolutionShape
    /// Rows and row length of each split plane: a tile's inputs reach one row and column past its own.
    let phase: (rows: Int, pitch: Int)
    /// Positions a row of tiles takes (whole vectors; those past the row are computed, not used).
    let rowPositions: Int
    /// Elements of one channel's split planes.
    let planeSize: Int
    /// Input (i, j) of a tile, i and j in 0..<α, at distance offsets[α·i + j] from its position.
    let offsets: [Int]
    /// Rows of tiles the forward pass and the input gradient take at a time (`stepRows(tiles:)`).
    let stepRows: Int

    /// The tiles of `g` for `tile`, transformed `lanes` positions at a time.
    init(_ g: ConvolutionShape, _ tile: WinogradTile, lanes: Int) {
        precondition(g.kernel == 3 && g.stride == 1 && g.padding >= 0, "Winograd takes 3×3 kernels at stride 1")
        let (m, alpha) = (tile.outputs, tile.inputs)
        self.tile = tile
        self.g = g
        tiles = Self.tiles(height: g.outHeight, width: g.outWidth, outputs: m)
        split = ConvolutionShape(
            input: [g.batch, g.inChannels, g.height, g.width], outChannels: g.outChannels,
            ConvolutionAttributes(kernel: alpha, stride: m, padding: g.padding))
        let phase = (rows: tiles.rows + 1, pitch: tiles.columns + 1)
        self.phase = phase
        rowPositions = (phase.pitch + lanes - 1) / lanes * lanes
        planeSize = m * m * phase.rows * phase.pitch
        offsets = (0..<alpha * alpha).map { e in
            let (i, j) = (e / alpha, e % alpha)
            return ((i % m) * m + j % m) * phase.rows * phase.pitch + i / m * phase.pitch + j / m
        }
        stepRows = Self.stepRows(tiles: tiles)
    }

    /// Rows and columns of tiles of `outputs` × `outputs` results covering `height` × `width` results.
    static func tiles(height: Int, width: Int, outputs: Int) -> (rows: Int, columns: Int) {
        ((height + outputs - 1) / outputs, (width + outputs - 1) / outputs)
    }

    /// Tiles of `outputs` × `outputs` results a step of the forward pass or the input gradient takes at most when
    /// `height` × `width` results are covered (`stepRows(tiles:)` rows of them).
    static func tilesPerStep(height: Int, width: Int, outputs: Int) -> Int {
        let tiles = tiles(height: height, width: width, outputs: outputs)
        return stepRows(tiles: tiles) * tiles.columns
    }

    /// Tiles a step of the forward pass or the input gradient holds at most, unless one row holds more.
    static let stepTiles = 16

    /// Rows of tiles a step of the forward pass or the input gradient transforms, multiplies and transforms back
    /// together: as many as hold at most `stepTiles` tiles (at least one row), in steps as equal as they can be.
    /// Short rows alone waste the register tiles, which then run across a step's rows, and reload the transformed
    /// weights row after row; long ones taken several at a time are slower. On the Zen 3, the ResNet example's 128
    /// channels on 7×7 (rows of 4 tiles) took 9.85 → 7.30 ms forward and 11.42 → 7.57 ms for the input gradient in
    /// steps of a whole image rather than of one row (tuned again; README, "Status and figures"), while its 32
    /// channels on 28×28 (rows of 14) were 25-30 % slower in steps of the whole image.
    static func stepRows(tiles: (rows: Int, columns: Int)) -> Int {
        ScheduleSpace.balanced(tiles.rows, max(1, min(tiles.rows, stepTiles / tiles.columns)))
    }

    /// Elements of a copy of `channels` channels' split planes, with room for the last row's reads past them.
    func copySize(channels: Int, lanes: Int) -> Int { channels * planeSize + rowPositions + lanes }
}

extension Lowering {
    /// Transforms the tiles of row `ty` of one channel's split planes at `plane` of `copies`, `lanes` positions at a
    /// time: V = Bᵀ d B of the tile at each position, transform e stored at `index(e, position)` of `inputs`.
    func transformWinogradInputRow(
        _ geometry: WinogradGeometry, copies: BufferID, plane: Expr, row ty: Expr, lanes: Int, into inputs: BufferID,
        _ index: (Int, Expr) -> Expr, _ builder: inout KernelBuilder
    ) {
        builder.vectorLoop(0..<geometry.rowPositions, lanes: lanes) { builder, position in
            let q = plane + ty * .integer(geometry.phase.pitch) + position
            let d = geometry.offsets.map { builder.local(.float32, .load(copies, index: q + .integer($0))) }
            for (e, value) in geometry.tile.transformInput(d, &builder).enumerated() {
                builder.store(inputs, index(e, position), value)
            }
        }
    }
}
