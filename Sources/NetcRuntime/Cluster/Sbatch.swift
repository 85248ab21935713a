import Foundation

/// Submits batch jobs with Slurm's `sbatch`, found on `PATH`.
public enum Sbatch {
    /// Submits `arguments` (options, then the script) with `sbatch --parsable` among them and returns the job id.
    ///
    /// - Throws: ``SlurmError`` when `sbatch` is not on `PATH` or refuses the job (its own message is kept).
    public static func submit(_ arguments: [String]) throws -> String {
        guard let sbatch = executable(named: "sbatch") else { throw SlurmError.sbatchNotFound }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sbatch)
        process.arguments = arguments
        let (output, errors) = (Pipe(), Pipe())
        (process.standardOutput, process.standardError) = (output, errors)
        do {
            try process.run()
        } catch {
            throw SlurmError.sbatchFailed(status: -1, message: "\(error)")
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let message = String(decoding: errorData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        // --parsable prints `JOBID` or `JOBID;CLUSTER`.
        let id = String(decoding: outputData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: ";").first.map(String.init) ?? ""
        guard process.terminationStatus == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw SlurmError.sbatchFailed(status: process.terminationStatus, message: message)
        }
        return id
    }

    /// Whether `sbatch` is on `PATH`.
    public static var isAvailable: Bool { executable(named: "sbatch") != nil }

    /// The path of the executable `name` on `PATH`, if there is one.
    static func executable(named name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Why jobs could not be submitted.
public enum SlurmError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No `sbatch` on `PATH`.
    case sbatchNotFound
    /// `sbatch` exited with `status` and said `message`.
    case sbatchFailed(status: Int32, message: String)

    public var description: String {
        switch self {
        case .sbatchNotFound:
            "error: sbatch is not on PATH; run netc submit on a Slurm login node (--dry-run shows the jobs it would "
                + "submit)"
        case .sbatchFailed(let status, let message):
            "error: sbatch refused the job (exit status \(status)): \(message)"
        }
    }
}
