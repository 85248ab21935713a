import NetcGraph

/// The sizes of one convolution (input `[N, Cin, H, W]`, weight `[Cout, Cin, K, K]`, output `[N, Cout, OH, OW]`)
/// and the index arithmetic of its tensors and packed copies.
struct ConvolutionShape {
    let batch, inChannels, height, width: Int
    let outChannels, kernel, stride, padding: Int
    let outHeight, outWidth: Int
    let attributes: ConvolutionAttributes

    init(input: [Int], outChannels: Int, _ attributes: ConvolutionAttributes) {
        (batch, inChannels, height, width) = (input[0], input[1], input[2], input[3])
        self.attributes = attributes
        self.outChannels = outChannels
        (kernel, stride, padding) = (attributes.kernel, attributes.stride, attributes.padding)
        (outHeight, outWidth) = (attributes.outputLength(height), attributes.outputLength(width))
    }

    var outputPlane: Int { outHeight * outWidth }
    /// The number of (input channel, kernel row, kernel column) taps of one output channel.
    var taps: Int { inChannels * kernel * kernel }

    /// The flat input index of (n, ci, row, column).
    func inputIndex(_ n: Expr, _ ci: Expr, _ row: Expr, _ column: Expr) -> Expr {
        ((n * .integer(inChannels) + ci) * .integer(height) + row) * .integer(width) + column
    }

    /// The flat output index of (n, co, oy, ox).
    func outputIndex(_ n: Expr, _ co: Expr, _ oy: Expr, _ ox: Expr) -> Expr {
        ((n * .integer(outChannels) + co) * .integer(outHeight) + oy) * .integer(outWidth) + ox
    }

    /// The flat weight index of (co, ci, ky, kx).
    func weightIndex(_ co: Expr, _ ci: Expr, _ ky: Expr, _ kx: Expr) -> Expr {
        ((co * .integer(inChannels) + ci) * .integer(kernel) + ky) * .integer(kernel) + kx
    }

    /// Calls `body` for every kernel offset with the output rows and columns whose input lies inside the
    /// image (skipping offsets with none): loops split this way need no padding test.
    func forEachOffset(_ body: (_ ky: Int, _ kx: Int, _ rows: Range<Int>, _ columns: Range<Int>) -> Void) {
        for ky in 0..<kernel {
            let rows = attributes.outputRange(kernelOffset: ky, inputLength: height)
            for kx in 0..<kernel {
                let columns = attributes.outputRange(kernelOffset: kx, inputLength: width)
                if !rows.isEmpty && !columns.isEmpty { body(ky, kx, rows, columns) }
            }
        }
    }

    /// The input row (or column) that output position `o` reads at kernel offset `k`.
    func inputPosition(_ o: Expr, _ k: Expr) -> Expr {
        o * .integer(stride) + k - .integer(padding)
    }

    /// Whether input row `row` lies inside the image, or nil when no output row at any kernel offset can read
    /// outside it (no padding, and the last window ends inside).
    func insideRow(_ row: Expr) -> Expr? {
        inside(row, outputs: outHeight, length: height)
    }

    /// Whether input column `column` lies inside the image, or nil when no output column can read outside it.
    func insideColumn(_ column: Expr) -> Expr? {
        inside(column, outputs: outWidth, length: width)
    }

    private func inside(_ position: Expr, outputs: Int, length: Int) -> Expr? {
        guard padding > 0 || (outputs - 1) * stride - padding + kernel > length else { return nil }
        return all([.compare(.greaterOrEqual, position, 0), .compare(.less, position, .integer(length))])
    }

    /// `position` clamped into `0..<length`: an index that is always safe to load, for a value selected away when
    /// the position lies outside.
    static func clamp(_ position: Expr, below length: Int) -> Expr {
        .binary(.maximum, .binary(.minimum, position, .integer(length - 1)), 0)
    }

    /// The conjunction of one or more conditions.
    func all(_ conditions: [Expr]) -> Expr {
        conditions.dropFirst().reduce(conditions[0]) { .binary(.and, $0, $1) }
    }
}
