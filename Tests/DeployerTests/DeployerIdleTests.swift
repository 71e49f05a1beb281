import Foundation
import Testing
import TestSupport

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

    @Test("deployer deploy waiting on a smoke check that never answers uses almost no CPU")
    func smokeWaitCPU() throws {
        let harness = try DeployerHarness(smoke: false)
        // A listener that accepts and never answers: every smoke attempt waits its whole timeout.
        let silent = try TestPorts.free()
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        listener.arguments = ["python3", "-c", "import socket,time; s=socket.socket(); s.bind(('127.0.0.1', \(silent))); s.listen(64); c=[s.accept() for _ in range(64)]; time.sleep(120)"]
        // Not on the test's own output: a child holding it keeps `swift test` waiting for its end.
        listener.standardOutput = FileHandle.nullDevice
        listener.standardError = FileHandle.nullDevice
        try listener.run()
        defer {
            kill(listener.processIdentifier, SIGKILL)
            _ = try? listener.waitForExit(timeout: 30)
        }
        try harness.setEnvironmentField("smoke_url", "http://127.0.0.1:\(silent)/healthz", in: "staging")
        try harness.setEnvironmentField("smoke_timeout_seconds", 2, in: "staging")
        try harness.setEnvironmentField("smoke_attempts", 2, in: "staging")
        try harness.setEnvironmentField("smoke_interval_seconds", 0, in: "staging")
        try harness.tag("v1.0.0")
        // The deployer's own CPU time, measured by its parent when it ends.
        let script = "import resource, subprocess, sys; subprocess.run(sys.argv[1:]); r = resource.getrusage(resource.RUSAGE_CHILDREN); print(f'{r.ru_utime + r.ru_stime:.3f}')"
        let result = try DeployerHarness.run(["python3", "-c", script, DeployerHarness.executable.path, "deploy", "--config", harness.configPath, "v1.0.0"],
                                             environment: harness.deployerEnvironment)
        let cpu = Double(result.output.split(separator: "\n").last ?? "") ?? 99
        print("deployer deploy: \(cpu) s of CPU for a release whose smoke check waited 4 s")
        #expect(result.output.contains("smoke check of staging"), "\(result.output)")
        // Before: URLSession spun at 65-80% of a core while it waited (about 3 s of the 4).
        #expect(cpu < 1.5, "\(result.output)")
    }
}
