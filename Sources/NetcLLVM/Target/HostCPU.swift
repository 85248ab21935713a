import Foundation
import NetcLoops

/// The processor netc runs on as the operating system reports it: vendor, model and caches (`/proc/cpuinfo` and
/// `/sys/devices/system/cpu`), which LLVM's CPU name and feature list do not give.
public struct HostCPU: Hashable, Sendable {
    /// `GenuineIntel`, `AuthenticAMD`, or empty when unknown.
    public var vendor: String
    /// The marketing name, e.g. `Intel(R) Xeon(R) Processor` or `AMD EPYC 7B13`.
    public var modelName: String
    /// The x86 family, model and stepping numbers.
    public var family, model, stepping: Int
    /// The data caches of core 0, in bytes, by level (1, 2, 3); missing levels are absent.
    public var cacheBytes: [Int: Int]

    /// The host, read once per process.
    public static let current = HostCPU(
        cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "",
        cacheDirectory: "/sys/devices/system/cpu/cpu0/cache")

    /// Parses the first processor of a `/proc/cpuinfo` text and the cache descriptions under `cacheDirectory`.
    init(cpuinfo: String, cacheDirectory: String) {
        var fields: [String: String] = [:]
        for line in cpuinfo.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty && !fields.isEmpty { break }
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        vendor = fields["vendor_id"] ?? ""
        modelName = fields["model name"] ?? "unknown CPU"
        family = fields["cpu family"].flatMap { Int($0) } ?? 0
        model = fields["model"].flatMap { Int($0) } ?? 0
        stepping = fields["stepping"].flatMap { Int($0) } ?? 0
        cacheBytes = Self.caches(in: cacheDirectory)
    }

    /// A key naming this exact processor: vendor, family, model, stepping and name (tuned schedules are kept per key).
    public var key: String {
        "\(vendor) family \(family) model \(model) stepping \(stepping): \(modelName)"
    }

    /// Whether the CPU runs 512-bit vector operations as two 256-bit halves (AMD Zen 4), so that 512-bit code gains
    /// nothing but register count.
    public var splitsWideVectors: Bool { vendor == "AuthenticAMD" }

    /// Data and unified caches by level, from `index*/level`, `type` and `size` (`48K`, `2048K`, `300M`).
    private static func caches(in directory: String) -> [Int: Int] {
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: directory) else { return [:] }
        var sizes: [Int: Int] = [:]
        for entry in entries where entry.hasPrefix("index") {
            func read(_ name: String) -> String? {
                (try? String(contentsOfFile: "\(directory)/\(entry)/\(name)", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let level = read("level").flatMap({ Int($0) }), read("type") != "Instruction",
                let text = read("size"), let bytes = byteCount(text)
            else { continue }
            sizes[level] = bytes
        }
        return sizes
    }

    /// `48K` → 49152; a plain number is bytes.
    static func byteCount(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        guard let last = text.last else { return nil }
        if let unit = units[last] { return Int(text.dropLast()).map { $0 * unit } }
        return Int(text)
    }
}
