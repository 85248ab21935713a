extension ImageShape: CustomStringConvertible {
    /// Values in one image: channels · height · width.
    public var elementCount: Int { channels * height * width }

    /// `3×32×32`: channels × height × width, as data-shape errors print it.
    public var description: String { "\(channels)×\(height)×\(width)" }
}
