extension Dataset {
    /// The stored values pictures of this data show as black … full intensity: 0...255 for bytes, the data's
    /// own smallest to largest value for floats (which may be scaled or normalised any way).
    public var displayRange: ClosedRange<Float> {
        switch pixels {
        case .uint8: return 0...255
        case .float32(let values):
            let finite = values.lazy.filter(\.isFinite)
            guard let lowest = finite.min(), let highest = finite.max() else { return 0...1 }
            return lowest...highest
        }
    }

    /// The picture of `values`, one image of this data's shape (as stored, or augmented), spanning `range`
    /// (``displayRange``, computed once by the caller).
    public func picture(of values: [Float], range: ClosedRange<Float>) -> Picture {
        Picture(values: values, shape: shape, range: range)
    }
}
