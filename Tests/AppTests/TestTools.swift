import Foundation

/// External tools some tests need, found once. A test whose tool is missing is reported as skipped (with
/// how to enable it) through `.enabled(if:)`; under `CI=true` it runs anyway and fails on the missing tool,
/// so CI can never pass without it.
enum TestTools {
    static let ci = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The first `name` on PATH.
    static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static let promtool = which("promtool")
    static let schemathesis = which("st")
}
