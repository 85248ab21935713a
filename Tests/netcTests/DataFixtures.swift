import Foundation

/// Small datasets the command-line tests make for themselves, in a temporary folder removed afterwards.
final class DataFixtures {
    /// The folder's path.
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("netc-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A path inside the folder.
    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `bytes` to `name` in the folder and returns its path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }

    /// Image `index` of a learnable synthetic set of `channels`×`height`×`width` bytes in `classes` classes,
    /// labelled `index % classes`: faint noise everywhere, and a bright 2×2 block placed by the class, in the
    /// channel `class % channels`.
    static func image(
        _ index: Int, channels: Int, height: Int, width: Int, classes: Int
    ) -> (label: Int, pixels: [UInt8]) {
        let label = index % classes
        var pixels = (0..<channels * height * width).map { UInt8(truncatingIfNeeded: ($0 * 37 + index * 101) % 41) }
        let columns = max(1, (width - 1) / 2)
        let (top, left) = ((label / columns * 2) % (height - 1), (label % columns) * 2)
        for (dy, dx) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
            pixels[(label % channels) * height * width + (top + dy) * width + left + dx] = UInt8(200 + index % 56)
        }
        return (label, pixels)
    }

    /// A Kaggle-style CSV of `count` synthetic images (see ``image(_:channels:height:width:classes:)``): with a
    /// `label` column when `labelled`, then one column per value; returns its path.
    @discardableResult
    func writeCSV(
        _ name: String, count: Int, channels: Int = 1, height: Int, width: Int, classes: Int = 10,
        labelled: Bool = true,
        label: (Int) -> Int = { $0 }
    ) throws -> String {
        let values = channels * height * width
        var lines = [((labelled ? ["label"] : []) + (0..<values).map { "pixel\($0)" }).joined(separator: ",")]
        for index in 0..<count {
            let image = Self.image(index, channels: channels, height: height, width: width, classes: classes)
            let fields = (labelled ? [String(label(image.label))] : []) + image.pixels.map(String.init)
            lines.append(fields.joined(separator: ","))
        }
        return try write(name, bytes: Array((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// `ImageId,Label` for the first `count` synthetic images.
    @discardableResult
    func writeLabelsCSV(_ name: String, count: Int, classes: Int = 10) throws -> String {
        let rows = (0..<count).map { "\($0 + 1),\($0 % classes)" }
        return try write(name, bytes: Array((["ImageId,Label"] + rows).joined(separator: "\n").utf8))
    }

    /// IDX images (idx3 for one channel, idx4 otherwise) of `count` synthetic images and their labels file,
    /// compressed by the system's `gzip` into `.gz` files when `gzip` is set; returns the images file's path.
    @discardableResult
    func writeIDX(
        prefix: String, count: Int, channels: Int = 1, height: Int, width: Int, classes: Int = 10, gzip: Bool = false
    ) throws -> String {
        let images = (0..<count).map {
            Self.image($0, channels: channels, height: height, width: width, classes: classes)
        }
        let dimensions = (channels == 1 ? [count, height, width] : [count, channels, height, width]).map { UInt32($0) }
        let imageKind = channels == 1 ? "idx3" : "idx4"
        let labels = try write(
            "\(prefix)-labels-idx1-ubyte",
            bytes: Self.idxHeader(dimensions: [UInt32(count)]) + images.map { UInt8(truncatingIfNeeded: $0.label) })
        let pixels = try write(
            "\(prefix)-images-\(imageKind)-ubyte",
            bytes: Self.idxHeader(dimensions: dimensions) + images.flatMap(\.pixels))
        guard gzip else { return pixels }
        let process = try Process.run(URL(fileURLWithPath: "/bin/gzip"), arguments: ["-n", labels, pixels])
        process.waitUntilExit()
        return pixels + ".gz"
    }

    /// An IDX header of unsigned bytes: `0x0000 08 D` then each dimension, big-endian.
    static func idxHeader(dimensions: [UInt32]) -> [UInt8] {
        ([0x0800 | UInt32(dimensions.count)] + dimensions).flatMap { word in
            [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> $0) }
        }
    }

    /// An `.npz` archive (as `np.savez` writes it) of `count` synthetic images as float32 `x` in [0, 1], shaped
    /// [N, C, H, W], and, when `labelled`, int64 `y`; returns its path.
    @discardableResult
    func writeNPZ(
        _ name: String, count: Int, channels: Int, height: Int, width: Int, classes: Int, labelled: Bool = true
    ) throws -> String {
        let images = (0..<count).map {
            Self.image($0, channels: channels, height: height, width: width, classes: classes)
        }
        let x = images.flatMap(\.pixels).flatMap { byte in
            withUnsafeBytes(of: (Float(byte) / 255).bitPattern.littleEndian, Array.init)
        }
        let y = images.flatMap { withUnsafeBytes(of: Int64($0.label).littleEndian, Array.init) }
        var members = [("x.npy", NumPyArchive.npy(descr: "<f4", shape: [count, channels, height, width], data: x))]
        if labelled { members.append(("y.npy", NumPyArchive.npy(descr: "<i8", shape: [count], data: y))) }
        return try write(name, bytes: NumPyArchive.zip(members))
    }
}
