import Foundation
import NetcLoops

/// The file `netc tune` writes its winners to and compilation reads them from: the fastest schedule of each
/// kernel signature measured on each CPU for each target, as JSON.
///
/// One file serves every machine that shares it (a home directory on a cluster): entries are keyed by the CPU's
/// exact model (`HostCPU.key`) and the target's name, so a schedule is only used on the processor it was timed on,
/// and carry the lowering's generation (`ScheduleSpace.generation`), so a schedule timed on kernels netc no longer
/// generates is not used either.
public struct ScheduleCache {
    /// The file's path.
    public let path: String

    /// One measured winner.
    public struct Entry: Codable, Hashable, Sendable {
        /// The CPU it was measured on (`HostCPU.key`).
        public var cpu: String
        /// The target's name (`TargetDescription.name`).
        public var target: String
        /// The kernel.
        public var signature: KernelSignature
        /// The fastest schedule.
        public var schedule: Schedule
        /// Its time per run, in microseconds.
        public var microseconds: Double
        /// The generation of the lowering it was timed with (`ScheduleSpace.generation`).
        public var generation: Int

        /// Creates an entry, by default of this netc's generation.
        public init(
            cpu: String, target: String, signature: KernelSignature, schedule: Schedule, microseconds: Double,
            generation: Int = ScheduleSpace.generation
        ) {
            self.cpu = cpu
            self.target = target
            self.signature = signature
            self.schedule = schedule
            self.microseconds = microseconds
            self.generation = generation
        }

        /// Decodes an entry; one written before there were generations is of generation 0.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                cpu: try container.decode(String.self, forKey: .cpu),
                target: try container.decode(String.self, forKey: .target),
                signature: try container.decode(KernelSignature.self, forKey: .signature),
                schedule: try container.decode(Schedule.self, forKey: .schedule),
                microseconds: try container.decode(Double.self, forKey: .microseconds),
                generation: try container.decodeIfPresent(Int.self, forKey: .generation) ?? 0)
        }
    }

    private struct File: Codable {
        var format = 1
        var entries: [Entry]
    }

    /// The cache at `path`, or at the default place: `$XDG_CACHE_HOME/netc/schedules.json`, else
    /// `~/.cache/netc/schedules.json`.
    public init(path: String? = nil) {
        self.path = path ?? Self.defaultPath
    }

    /// The default place of the cache.
    public static var defaultPath: String {
        (UserCacheFolder.path as NSString).appendingPathComponent("schedules.json")
    }

    /// Every entry of the file; none when it does not exist.
    ///
    /// - Throws: `ScheduleCacheError` when the file cannot be read or is not a schedule cache.
    public func entries() throws -> [Entry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ScheduleCacheError(path: path, reason: "cannot be read (\(error.localizedDescription))")
        }
        do {
            return try JSONDecoder().decode(File.self, from: data).entries
        } catch {
            throw ScheduleCacheError(
                path: path, reason: "is not a schedule cache (\(error)); delete it and run `netc tune` again")
        }
    }

    /// The schedules tuned on `cpu` for `target` by this netc's generation of the lowering.
    public func table(cpu: HostCPU = .current, target: TargetDescription) throws -> ScheduleTable {
        var tuned: [KernelSignature: Schedule] = [:]
        for entry in try entries(cpu: cpu, target: target) where entry.generation == ScheduleSpace.generation {
            tuned[entry.signature] = entry.schedule
        }
        return ScheduleTable(tuned: tuned)
    }

    /// How many schedules tuned on `cpu` for `target` are of another generation of the lowering, so unused.
    public func outdatedCount(cpu: HostCPU = .current, target: TargetDescription) throws -> Int {
        try entries(cpu: cpu, target: target).count(where: { $0.generation != ScheduleSpace.generation })
    }

    private func entries(cpu: HostCPU, target: TargetDescription) throws -> [Entry] {
        try entries().filter { $0.cpu == cpu.key && $0.target == target.name }
    }

    /// Adds `winners` (replacing entries of the same CPU, target and signature) and writes the file atomically,
    /// creating its directory.
    public func store(_ winners: [Entry]) throws {
        var kept = try entries().filter { old in
            !winners.contains { $0.cpu == old.cpu && $0.target == old.target && $0.signature == old.signature }
        }
        kept += winners
        kept.sort { ($0.cpu, $0.target, $0.signature) < ($1.cpu, $1.target, $1.signature) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            try encoder.encode(File(entries: kept)).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ScheduleCacheError(path: path, reason: "cannot be written (\(error.localizedDescription))")
        }
    }
}

/// A schedule cache that cannot be read or written.
public struct ScheduleCacheError: Error, CustomStringConvertible {
    /// The file.
    public var path: String
    /// What is wrong.
    public var reason: String

    public var description: String { "\(path): error: the schedule cache \(reason)" }
}
