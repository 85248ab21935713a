/// A mistake in a network description found while building its graph: an invalid value, a duplicate name or
/// shapes that do not fit.
///
/// It names the layer by its path (`conv2.3`, as in parameter names) and, when the spec came from a file, the
/// place in the source, so the front end can print it with the source line and a caret.
public struct ModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where the offending layer is written, if known.
    public var location: SourceLocation?
    /// The layer's path, e.g. `conv1.4` or `fc.0`; empty for the network itself.
    public var layerPath: String
    /// What is wrong, in words a user understands, including the shapes involved.
    public var message: String

    /// Creates an error.
    public init(at location: SourceLocation?, layer layerPath: String, _ message: String) {
        self.location = location
        self.layerPath = layerPath
        self.message = message
    }

    /// `FILE:LINE:COL: error: layer 'PATH': MESSAGE` (location and layer omitted when unknown).
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        let layer = layerPath.isEmpty ? "" : "layer '\(layerPath)': "
        return "\(place)error: \(layer)\(message)"
    }
}
