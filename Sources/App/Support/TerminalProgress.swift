import Foundation

/// A one-line progress bar on standard error when it is a terminal; silent when piped or with `--quiet`.
final class TerminalProgress: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var lastDrawn = Date.distantPast
    private let width = 30

    init(quiet: Bool) {
        enabled = !quiet && isatty(STDERR_FILENO) == 1
    }

    /// Redraws the bar at most every 50 ms (drawing is slower than a training step).
    func update(fraction: Double, label: String) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard fraction >= 1 || now.timeIntervalSince(lastDrawn) > 0.05 else { return }
        lastDrawn = now
        let clamped = min(max(fraction, 0), 1)
        let filled = Int(Double(width) * clamped)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(Int(clamped * 100))% \(label)\u{1B}[K".utf8))
    }

    /// Ends the bar's line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

/// Writes a line to standard error (status messages never mix with data on standard output).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
