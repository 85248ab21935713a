extension NetworkModel {
    /// The table `netc compile` prints: every layer with its path, output shape (per image) and parameter count,
    /// then the totals and the forward cost per image.
    ///
    ///     mnist-cnn: input [1, 28, 28], 10 classes
    ///     layer    kind                               output        parameters
    ///     conv1.0  Conv2D(32, kernel: 3, padding: 1)  [32, 28, 28]         320
    ///     ...
    ///     trainable parameters: 140,778
    public var summary: String {
        let input = spec.input
        var rows = [["layer", "kind", "output", "parameters"]]
        for layer in layers {
            rows.append([
                layer.path, layer.description, "[" + layer.outputShape.map(String.init).joined(separator: ", ") + "]",
                Self.grouped(layer.parameterCount),
            ])
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = [
            "\(spec.name): input [\(input.channels), \(input.height), \(input.width)], \(spec.classes) classes"
        ]
        for row in rows {
            let left = (0..<3).map { row[$0].padding(to: widths[$0]) }
            lines.append(
                (left + [String(repeating: " ", count: widths[3] - row[3].count) + row[3]]).joined(separator: "  "))
        }
        let persistent = graph.states.reduce(0) { $0 + graph.type(of: $1).elementCount }
        lines.append("trainable parameters: \(Self.grouped(parameterCount))")
        lines.append("other persistent values (running statistics, counters): \(Self.grouped(persistent))")
        let megaflops = Double(graph.flops) / Double(batchSize) / 1e6
        lines.append("forward cost: \((megaflops * 100).rounded() / 100) MFLOP per image (a multiply-add counts 2)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `140778` → `140,778`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (number < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}

extension String {
    /// The string padded with spaces on the right to `width` characters.
    func padding(to width: Int) -> String {
        self + String(repeating: " ", count: Swift.max(0, width - count))
    }
}
