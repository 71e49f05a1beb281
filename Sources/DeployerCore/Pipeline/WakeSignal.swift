import Synchronization

/// A wake-up that one waiter can sleep on, with a timeout, and that anyone can raise.
///
/// The release worker sleeps on it between polls of the queue. An `AsyncStream` does not fit: racing its
/// iterator against a timer means cancelling the iterator's task whenever the timer wins, and a cancelled
/// iteration finishes the stream for good, after which every wait returns at once and the worker spins
/// (an idle `deployer serve` used a whole core that way). This keeps one pending flag and one suspended
/// waiter under a lock, and nothing ever finishes.
final class WakeSignal: Sendable {
    private struct State {
        /// A wake-up raised while nobody waited: the next wait returns at once.
        var pending = false
        /// The suspended waiter and its number, so that a late timer cannot resume a later wait.
        var waiter: (number: UInt64, continuation: CheckedContinuation<Void, Never>)?
        var waits: UInt64 = 0
        /// A wait that timed out or was cancelled before it was suspended.
        var expired: UInt64?
    }

    private let state = Mutex(State())

    /// Wakes the waiter, or the next one if nobody waits now (safe from any thread).
    func raise() {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        continuation?.resume()
    }

    /// Returns when the signal is raised, `timeout` has passed, or the task is cancelled.
    func wait(timeout: Duration) async {
        let number = state.withLock { state -> UInt64? in
            if state.pending {
                state.pending = false
                return nil
            }
            state.waits &+= 1
            return state.waits
        }
        guard let number else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.resume(number)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    // Raised, timed out or cancelled between the check above and now.
                    if state.pending || state.expired == number || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = (number, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.resume(number)
        }
        timer.cancel()
    }

    /// Resumes wait `number` if it is still suspended.
    private func resume(_ number: UInt64) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter, waiter.number == number else {
                // Not suspended yet: the wait returns as soon as it looks.
                if state.waiter == nil { state.expired = number }
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        continuation?.resume()
    }
}
