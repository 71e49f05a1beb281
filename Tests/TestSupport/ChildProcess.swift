import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// Waits for the child to end and returns its exit status (or, killed by a signal, the signal's number,
    /// as `terminationStatus` does), never longer than `timeout` seconds: then the child is killed and
    /// `TestSupportError` thrown.
    ///
    /// Foundation's `waitUntilExit()` spins its run loop until Foundation itself has seen the child end;
    /// here it once missed an exit, leaving the child a zombie and the test process at 100% CPU until CI's
    /// limit. This polls `isRunning` and reaps the child itself with `waitpid` when Foundation has not.
    @discardableResult
    public func waitForExit(timeout: Double = 600) throws -> Int32 {
        let pid = processIdentifier
        let deadline = Date().addingTimeInterval(timeout)
        var pause: useconds_t = 1_000
        while true {
            if !isRunning { return terminationStatus }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                // Reaped here: Foundation never saw the exit, so its own status is not set.
                let signal = status & 0x7F
                return signal == 0 ? (status >> 8) & 0xFF : signal
            }
            if Date() >= deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw TestSupportError(description: "\(executableURL?.lastPathComponent ?? "child") \(arguments?.joined(separator: " ") ?? "") still ran after \(Int(timeout)) s; killed it")
            }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
    }
}
