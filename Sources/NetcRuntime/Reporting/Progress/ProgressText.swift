import Foundation

/// The number formats progress output shares, so every mode prints a quantity the same way.
enum ProgressText {
    /// A loss with four decimals: `0.1234`.
    static func loss(_ value: Double) -> String { String(format: "%.4f", value) }

    /// An accuracy fraction as a percentage with two decimals: `98.76%`.
    static func percent(_ fraction: Double) -> String { Percent(fraction).description }

    /// Seconds with one decimal and a unit: `10.6 s`.
    static func seconds(_ value: Double) -> String { String(format: "%.1f s", value) }

    /// A rounded whole number with thousands separators: `4,512`.
    static func grouped(_ value: Double) -> String {
        guard value.isFinite else { return "?" }
        let digits = String(Int(value.rounded()).magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return value < -0.5 ? "-" + grouped : grouped
    }

    /// A duration as `m:ss`, or `h:mm:ss` from one hour on: `0:07`, `1:02:03`; `--:--` when unknown.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        if hours > 0 { return String(format: "%d:%02d:%02d", hours, minutes, secs) }
        return String(format: "%d:%02d", minutes, secs)
    }

    /// A JSON string literal of `text`, quotes and control characters escaped.
    static func jsonString(_ text: String) -> String {
        // Encoding a String cannot fail.
        (try? JSONEncoder().encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    /// A JSON number with up to six significant digits, or `null` for NaN and infinities.
    static func jsonNumber(_ value: Double) -> String {
        value.isFinite ? String(format: "%.6g", value) : "null"
    }
}
