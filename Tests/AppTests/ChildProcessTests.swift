import Foundation
import TestSupport
import Testing

@Suite("Test support: waiting for a child process with a deadline")
struct ChildProcessTests {
    static func shell(_ script: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        try process.run()
        return process
    }

    @Test("the exit status, the signal that killed it, and a deadline that kills a child that hangs")
    func statuses() throws {
        #expect(try Self.shell("exit 3").waitForExit(timeout: 30) == 3)
        #expect(try Self.shell("kill -9 $$").waitForExit(timeout: 30) == 9)
        let hanging = try Self.shell("sleep 30")
        let started = Date()
        #expect(throws: TestSupportError.self) { try hanging.waitForExit(timeout: 0.5) }
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(kill(hanging.processIdentifier, 0) != 0, "the child is gone")
    }
}
