import Foundation
import Testing
@testable import DeployerCore

@Suite("Release worker wake-ups")
struct WakeSignalTests {
    @Test("a wait that timed out leaves the next wait waiting: timeouts never wear the signal out")
    func timeoutsDoNotWearOut() async {
        let signal = WakeSignal()
        let clock = ContinuousClock()
        for _ in 0..<5 {
            let elapsed = await clock.measure { await signal.wait(timeout: .milliseconds(50)) }
            // The old AsyncStream returned at once from the second wait on; each wait must last its timeout.
            #expect(elapsed >= .milliseconds(50))
        }
    }

    @Test("a raise wakes a waiter, and a raise with nobody waiting is kept for the next wait")
    func raiseWakes() async {
        let signal = WakeSignal()
        signal.raise()
        signal.raise()  // one pending wake-up, not two
        let clock = ContinuousClock()
        #expect(await clock.measure { await signal.wait(timeout: .seconds(600)) } < .seconds(60))
        #expect(await clock.measure { await signal.wait(timeout: .milliseconds(50)) } >= .milliseconds(50))
        async let waited: Duration = clock.measure { await signal.wait(timeout: .seconds(600)) }
        // Raise until the waiter has gone: raising before it suspends is kept and wakes it all the same.
        signal.raise()
        #expect(await waited < .seconds(60))
    }

    @Test("cancelling the waiting task ends the wait")
    func cancellation() async {
        let signal = WakeSignal()
        let clock = ContinuousClock()
        let task = Task { await clock.measure { await signal.wait(timeout: .seconds(600)) } }
        task.cancel()
        #expect(await task.value < .seconds(60))
    }
}
