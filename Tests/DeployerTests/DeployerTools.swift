import Foundation

/// External tools some end-to-end tests need (see `TestTools` in AppTests): missing ones skip those tests,
/// with how to enable them, except under `CI=true`, where they fail.
enum DeployerTools {
    static let ci = ProcessInfo.processInfo.environment["CI"] == "true"

    static let promtool: String? = {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/promtool"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()
}
