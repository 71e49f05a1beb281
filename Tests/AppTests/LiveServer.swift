import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real `intent serve` process on a free 127.0.0.1 port, for tests at the socket.
final class LiveServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    let log: URL

    /// Starts `intent serve <arguments> --host 127.0.0.1 --port <free>` and waits until /readyz answers;
    /// with `descriptorLimit`, under `ulimit -n` of that many open files.
    init(_ arguments: [String], environment: [String: String] = [:], readyWithin seconds: Double = 60, descriptorLimit: Int? = nil) throws {
        port = try TestPorts.free()
        log = TestDirectories.make(prefix: "intent-cli").appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let serve = ["serve"] + arguments + ["--host", "127.0.0.1", "--port", "\(port)"]
        if let descriptorLimit {
            // exec: the pid is the server's own, for signals and /proc.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\"", IntentProcess.executable.path] + serve
        } else {
            process.executableURL = IntentProcess.executable
            process.arguments = serve
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let connection = try? HTTPConnection(port: port),
               let response = try? connection.send("GET", "/readyz"), response.status == 200 {
                return
            }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        process.terminate()
        throw LiveServerError.notReady(output)
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// CPU seconds the process has used (user + system, /proc/PID/stat).
    func cpuSeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        // After the command: state is field 3, utime field 14 and stime field 15 (1-based, of the whole line).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A line of /proc/PID/status in kB (`VmHWM` is the peak resident memory), as megabytes.
    func memoryMegabytes(_ field: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") }
        return line.flatMap { Double($0.split(separator: " ").dropFirst().first ?? "") }.map { $0 / 1024 }
    }

    /// Waits for the process to end and returns its exit status (SIGKILL after `seconds`).
    func waitForExit(within seconds: Double = 30) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        return (try? process.waitForExit(timeout: 30)) ?? -1
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            _ = try? process.waitForExit(timeout: 30)
        }
    }
}

enum LiveServerError: Error, CustomStringConvertible {
    case notReady(String)
    case socket(String, Int32)
    case closed(afterSending: Bool)
    case malformed(String)

    var description: String {
        switch self {
        case .notReady(let output): return "intent serve did not become ready:\n\(output)"
        case let .socket(call, code): return "\(call) failed: \(String(cString: strerror(code)))"
        case .closed(let sent): return sent ? "connection closed before a response" : "connection closed before the request was sent"
        case .malformed(let why): return "malformed response: \(why)"
        }
    }
}
