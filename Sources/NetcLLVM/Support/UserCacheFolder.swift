import Foundation

/// Where netc keeps what it measured and compiled for this user: `netc` in `$XDG_CACHE_HOME`, else in `~/.cache`.
enum UserCacheFolder {
    /// The folder's path.
    static var path: String {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        return (base as NSString).appendingPathComponent("netc")
    }
}
