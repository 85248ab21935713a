/// A zero-bordered copy of one channel plane, laid out so that each kernel offset of a grouped or dilated
/// convolution reads it at a fixed distance from a flat position `q`: one vector loop over `q` then computes a whole
/// plane with every offset's multiply-add in registers, no test for the border and no stride in its loads.
///
/// Positions `q` run over rows of `pitch` elements; a row's last `pitch − columns` positions read past the row and
/// are computed but never used. The buffer has room for every position the loop reads (`count`), and the part of it
/// no copy writes stays zero.
struct PaddedPlane {
    /// Elements of one copy, a whole number of vectors.
    let count: Int
    /// Flat positions a row of results takes, and the rows and columns of results.
    let pitch, rows, columns: Int
    /// The vector loop's positions: `rows · pitch` rounded up to whole vectors.
    let positions: Int
    /// The distance of each kernel offset's reads from `q`, in offset order (`ky · kernel + kx`).
    let offsets: [Int]

    /// Rounds `value` up to a whole number of `lanes`.
    private static func whole(_ value: Int, _ lanes: Int) -> Int { (value + lanes - 1) / lanes * lanes }

    /// The forward pass's copy of an input plane (`H × W`), padded and split into `stride²` phase planes (rows and
    /// columns by their remainder modulo the stride), so that output pixel (oy, ox) at offset (ky, kx) reads phase
    /// (ky·d mod s, kx·d mod s) at row oy + ⌊ky·d / s⌋ and column ox + ⌊kx·d / s⌋ of the phase, `q = oy · pitch + ox`.
    static func forward(_ g: ConvolutionShape, lanes: Int) -> PaddedPlane {
        let (s, d) = (g.attributes.stride, g.attributes.dilation)
        let phase = phaseShape(g)
        let offsets = (0..<g.kernel * g.kernel).map { tap in
            let (ky, kx) = (tap / g.kernel * d, tap % g.kernel * d)
            return ((ky % s) * s + kx % s) * phase.rows * phase.pitch + ky / s * phase.pitch + kx / s
        }
        let positions = whole(g.outHeight * phase.pitch, lanes)
        return PaddedPlane(
            count: whole(max(s * s * phase.rows * phase.pitch, positions + offsets.max()!), lanes),
            pitch: phase.pitch, rows: g.outHeight, columns: g.outWidth, positions: positions, offsets: offsets)
    }

    /// The rows and row length of one phase plane of the padded input.
    static func phaseShape(_ g: ConvolutionShape) -> (rows: Int, pitch: Int) {
        let (s, p) = (g.attributes.stride, g.attributes.padding)
        return ((g.height + 2 * p + s - 1) / s, (g.width + 2 * p + s - 1) / s)
    }

    /// The input gradient's copy of an output-gradient plane (`OH × OW`), spread `stride` apart with zeros between
    /// (the transposed convolution's input) and bordered, so that input pixel (iy, ix) at offset (ky, kx) reads row
    /// iy + p − ky·d + `border` and column ix + p − kx·d + `border`, `q = iy · pitch + ix`.
    static func inputGradient(_ g: ConvolutionShape, lanes: Int) -> PaddedPlane {
        let spread = spreadShape(g)
        let (p, d) = (g.attributes.padding, g.attributes.dilation)
        let offsets = (0..<g.kernel * g.kernel).map { tap in
            (p + spread.border - tap / g.kernel * d) * spread.pitch + p + spread.border - tap % g.kernel * d
        }
        let positions = whole(g.height * spread.pitch, lanes)
        return PaddedPlane(
            count: whole(max(spread.rows * spread.pitch, positions + offsets.max()!), lanes),
            pitch: spread.pitch, rows: g.height, columns: g.width, positions: positions, offsets: offsets)
    }

    /// The spread output-gradient plane: its rows and row length, and the zero rows and columns before the first
    /// gradient (enough for the offsets that reach above or left of the image).
    static func spreadShape(_ g: ConvolutionShape) -> (rows: Int, pitch: Int, border: Int) {
        let (s, p, d) = (g.attributes.stride, g.attributes.padding, g.attributes.dilation)
        let border = max(0, (g.kernel - 1) * d - p)
        return (
            max(g.height + p, (g.outHeight - 1) * s + 1) + border,
            max(g.width + p, (g.outWidth - 1) * s + 1) + border, border
        )
    }
}
