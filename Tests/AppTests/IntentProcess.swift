import Foundation
import TestSupport

/// Runs the built `intent` executable as a child process, for tests at the process boundary.
enum IntentProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `intent` binary next to the test bundle (SwiftPM builds every product before testing).
    static var executable: URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // Inside an .xctest bundle on some platforms the binary sits deeper; walk up to the build dir.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("intent").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("intent")
    }

    /// Runs `intent` with `arguments`, feeding `input` on standard input. The child gets this process's
    /// environment without MLflow's variables (a developer's own server stays out of the tests), plus `environment`.
    static func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MLFLOW_") }.merging(environment) { $1 }
        // A scratch working directory: what a command writes by default (runs/, models/) stays out of the checkout.
        process.currentDirectoryURL = TestDirectories.make(prefix: "intent-cli")
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let status = try process.waitForExit()
        return Result(status: status, stdout: String(decoding: outputData, as: UTF8.self),
                      stderr: String(decoding: errorData, as: UTF8.self))
    }

    /// `run` on a thread of its own, for async tests that serve something the child calls: the blocking wait
    /// must not hold one of the few threads the in-process server needs.
    static func runDetached(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try run(arguments, environment: environment) })
            }
        }
    }
}
