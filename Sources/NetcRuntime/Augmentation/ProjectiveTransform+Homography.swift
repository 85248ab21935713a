extension ProjectiveTransform {
    /// The homography that maps each corner of `source` to the same corner of `destination`, or `nil` when no
    /// invertible one exists (three of either's points are collinear).
    ///
    /// With the matrix's last entry fixed at 1, each pair `(x, y) → (u, v)` gives two linear equations in the
    /// other eight entries `a...h`:
    /// `a·x + b·y + c − g·x·u − h·y·u = u` and `d·x + e·y + f − g·x·v − h·y·v = v`.
    /// The 8×8 system is solved by Gaussian elimination with partial pivoting in `Double`, without allocating.
    /// Fixing that entry also excludes the rare homographies whose last entry is 0 (those sending the origin
    /// to infinity); they too give `nil`.
    public init?(mapping source: Quadrilateral, to destination: Quadrilateral) {
        let entries = withUnsafeTemporaryAllocation(of: Double.self, capacity: 8 * 9) { system in
            func setEquation(_ row: Int, _ coefficients: SIMD8<Double>, _ rightSide: Double) {
                for column in 0..<8 { system[row * 9 + column] = coefficients[column] }
                system[row * 9 + 8] = rightSide
            }
            for corner in 0..<4 {
                let (from, to) = (source[corner], destination[corner])
                setEquation(2 * corner, [from.x, from.y, 1, 0, 0, 0, -from.x * to.x, -from.y * to.x], to.x)
                setEquation(2 * corner + 1, [0, 0, 0, from.x, from.y, 1, -from.x * to.y, -from.y * to.y], to.y)
            }
            return solveAugmentedSystem(system)
        }
        guard let entries else { return nil }
        self.init(
            [entries[0], entries[1], entries[2]], [entries[3], entries[4], entries[5]], [entries[6], entries[7], 1])
        // Collinear destination points still solve the system, with a matrix that flattens the plane.
        guard inverse != nil else { return nil }
    }
}

/// Solves eight linear equations in eight unknowns, given row-major as an 8×9 augmented matrix (the right-hand
/// side last), overwriting it; `nil` when a pivot vanishes relative to the largest entry (a singular system).
private func solveAugmentedSystem(_ system: UnsafeMutableBufferPointer<Double>) -> SIMD8<Double>? {
    let (unknowns, width) = (8, 9)
    func entry(_ row: Int, _ column: Int) -> Double { system[row * width + column] }
    let largestEntry = system.reduce(0) { max($0, abs($1)) }

    for pivotColumn in 0..<unknowns {
        let pivotRow =
            (pivotColumn..<unknowns).max { abs(entry($0, pivotColumn)) < abs(entry($1, pivotColumn)) }
            ?? pivotColumn
        let pivot = entry(pivotRow, pivotColumn)
        guard abs(pivot) > 1e-12 * largestEntry else { return nil }
        if pivotRow != pivotColumn {
            for column in 0..<width { system.swapAt(pivotRow * width + column, pivotColumn * width + column) }
        }
        for row in pivotColumn + 1..<unknowns {
            let factor = entry(row, pivotColumn) / pivot
            for column in pivotColumn..<width {
                system[row * width + column] -= factor * entry(pivotColumn, column)
            }
        }
    }

    var solution = SIMD8<Double>()
    for row in (0..<unknowns).reversed() {
        var value = entry(row, unknowns)
        for column in row + 1..<unknowns { value -= entry(row, column) * solution[column] }
        solution[row] = value / entry(row, row)
    }
    return solution
}
