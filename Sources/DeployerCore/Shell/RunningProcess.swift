import CProcessSpawn
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One spawned process group: its output reader, its waiter and its termination, for
/// `ProcessCommandRunner`.
///
/// Two threads per command: one blocks in `read` on the output pipe, one blocks in `waitid` for the
/// leader's exit. The leader is reaped only after its group was killed, under the lock, so a group id is
/// never signalled after it could have been reused.
final class RunningProcess: @unchecked Sendable {
    /// How the leader ended.
    struct Status: Sendable {
        var exitCode: Int32?
        var signal: Int32?
        var timedOut: Bool
        var output: String
    }

    let pid: pid_t
    private let outputFD: Int32
    private let lock = NSLock()
    private var reaped = false
    private var timedOut = false
    private var output: OutputTail
    private let readerDone = DispatchSemaphore(value: 0)

    private init(pid: pid_t, outputFD: Int32, outputLimit: Int) {
        self.pid = pid
        self.outputFD = outputFD
        self.output = OutputTail(limit: outputLimit)
    }

    /// Starts `argv` at `path` in a new process group.
    static func spawn(path: String, argv: [String], environment: [String: String], workingDirectory: String?, outputLimit: Int) throws -> RunningProcess {
        var fds: [Int32] = [0, 0]
        guard intentops_pipe_cloexec(&fds) == 0 else { throw ShellError.spawnFailed(executable: path, errno: errno) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        if let workingDirectory { intentops_spawn_addchdir(&actions, workingDirectory) }
        // Only stdin, stdout and stderr reach the child: no listening socket, database or lock file of
        // the deployer's (some libraries open descriptors without close-on-exec).
        intentops_spawn_addclosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new process group led by the child; default dispositions and an empty mask, since the
        // deployer ignores SIGPIPE (as every NIO server does) and ignored signals survive exec.
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, path, &actions, &attributes, cArguments, cEnvironment)
        close(fds[1])
        guard result == 0 else {
            close(fds[0])
            throw ShellError.spawnFailed(executable: path, errno: result)
        }
        let process = RunningProcess(pid: pid, outputFD: fds[0], outputLimit: outputLimit)
        Thread.detachNewThread { process.readOutput() }
        return process
    }

    /// Waits for the leader to exit, kills what is left of its group, reaps it and collects the output.
    func wait() async -> Status {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: self.waitBlocking())
            }
        }
    }

    private func waitBlocking() -> Status {
        var info = siginfo_t()
        // Wait without reaping: until it is reaped the leader's pid (and so its group id) stays ours.
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        lock.lock()
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
        let wasTimedOut = timedOut
        lock.unlock()
        // Everything holding the pipe is dead now; a process that left the group (setsid) and kept it
        // open does not keep the stage waiting beyond a few seconds.
        _ = readerDone.wait(timeout: .now() + 5)
        let low = status & 0x7F
        lock.lock()
        let text = output.text
        lock.unlock()
        return Status(exitCode: low == 0 ? (status >> 8) & 0xFF : nil, signal: low == 0 ? nil : low, timedOut: wasTimedOut, output: text)
    }

    /// Ends the group: SIGTERM now, SIGKILL after the grace time (both skipped once the leader is reaped).
    func terminate(timedOut: Bool) {
        lock.lock()
        defer { lock.unlock() }
        guard !reaped else { return }
        if timedOut { self.timedOut = true }
        kill(-pid, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + Limits.terminationGraceSeconds) { [self] in
            lock.lock()
            defer { lock.unlock() }
            if !reaped { kill(-pid, SIGKILL) }
        }
    }

    private func readOutput() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(outputFD, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            lock.lock()
            output.append(buffer[0..<count])
            lock.unlock()
        }
        close(outputFD)
        readerDone.signal()
    }
}

/// The last `limit` bytes of a stream, and how many were dropped before them.
struct OutputTail {
    let limit: Int
    private var bytes: [UInt8] = []
    private var dropped = 0

    init(limit: Int) {
        self.limit = limit
    }

    mutating func append(_ chunk: ArraySlice<UInt8>) {
        bytes.append(contentsOf: chunk)
        // Trim in batches so appending stays amortised O(1).
        if bytes.count > 2 * max(limit, 4096) {
            let excess = bytes.count - limit
            bytes.removeFirst(excess)
            dropped += excess
        }
    }

    /// The kept bytes as text (invalid UTF-8 repaired), with a note when the start was dropped.
    var text: String {
        let excess = max(0, bytes.count - limit)
        let kept = bytes[excess...]
        let total = dropped + excess
        let body = String(decoding: kept, as: UTF8.self)
        return total > 0 ? "[... \(total) earlier bytes dropped ...]\n" + body : body
    }
}
