import Foundation
import Testing

/// A receiver waits for hooks most of its life: waiting must cost nothing.
@Suite("Deployer at rest")
struct DeployerIdleTests {
    @Test("an idle deployer serve uses under 2% of a core over 10 s")
    func idleCPU() async throws {
        let harness = try DeployerHarness()
        try await harness.start()
        defer { _ = harness.stop() }
        let before = try harness.cpuSeconds()
        let started = ContinuousClock.now
        // Not a synchronisation: the measurement is what the process does while nothing happens.
        try await Task.sleep(for: .seconds(10))
        let used = try harness.cpuSeconds() - before
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        print("deployer idle: \(String(format: "%.3f", used)) s of CPU in \(String(format: "%.1f", elapsed)) s")
        #expect(used < 0.02 * elapsed, "an idle deployer used \(used) s of CPU in \(elapsed) s")
    }
}
