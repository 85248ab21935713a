import Foundation

extension Normalization: Codable {
    private enum CodingKeys: String, CodingKey {
        case mean, std
    }

    /// Reads `{"mean": 0.13, "std": 0.31}` (one channel) or `{"mean": [...], "std": [...]}` (one per channel).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func values(_ key: CodingKeys) throws -> [Double] {
            if let single = try? container.decode(Double.self, forKey: key) { return [single] }
            return try container.decode([Double].self, forKey: key)
        }
        let (mean, std) = (try values(.mean), try values(.std))
        guard !mean.isEmpty, mean.count == std.count, std.allSatisfy({ $0 > 0 }) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: container.codingPath,
                    debugDescription: "normalization needs as many positive stds as means, one per channel"))
        }
        self.init(mean: mean, std: std)
    }

    /// Writes one channel's statistics as numbers, several channels' as lists.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if channels == 1 {
            try container.encode(mean[0], forKey: .mean)
            try container.encode(std[0], forKey: .std)
        } else {
            try container.encode(mean, forKey: .mean)
            try container.encode(std, forKey: .std)
        }
    }
}

extension Normalization {
    /// The checkpoint metadata entries `normalization_mean` and `normalization_std`: a number each for one
    /// channel, comma-separated numbers in channel order for several.
    public var metadata: [String: String] {
        ["normalization_mean": Self.spelled(mean), "normalization_std": Self.spelled(std)]
    }

    /// The normalisation stored in checkpoint metadata, or `nil` when the entries are missing or malformed.
    public init?(metadata: [String: String]) {
        guard let mean = metadata["normalization_mean"].flatMap(Self.values),
            let std = metadata["normalization_std"].flatMap(Self.values),
            mean.count == std.count, std.allSatisfy({ $0 > 0 })
        else { return nil }
        self.init(mean: mean, std: std)
    }

    /// The statistics written as `--mean`/`--std` take them: `0.5` or `0.49,0.48,0.45`; `nil` unless every
    /// value is a number.
    public static func values(_ text: String) -> [Double]? {
        let values = text.split(separator: ",", omittingEmptySubsequences: false).map {
            Double($0.trimmingCharacters(in: .whitespaces))
        }
        guard !values.isEmpty, values.allSatisfy({ $0?.isFinite ?? false }) else { return nil }
        return values.compactMap { $0 }
    }

    private static func spelled(_ values: [Double]) -> String {
        values.map { "\($0)" }.joined(separator: ",")
    }
}
