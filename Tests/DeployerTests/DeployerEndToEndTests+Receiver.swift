import Foundation
import Testing

/// The live receiver against slow and old clients.
extension DeployerEndToEndTests {
    @Test("slow clients: a body stopped half-way and a trickled body each get 408 within the read timeout, with no job")
    func readTimeout() async throws {
        let harness = try DeployerHarness(readTimeoutSeconds: 1)
        try await harness.start()
        // Both clients send a valid start and then dawdle; each prints what happened and after how long.
        let script = #"""
            import select, socket, sys, time
            port, mode = int(sys.argv[1]), sys.argv[2]
            s = socket.create_connection(("127.0.0.1", port))
            s.settimeout(10)
            s.sendall(b"POST /webhook HTTP/1.1\r\nHost: x\r\nX-GitHub-Event: push\r\nContent-Length: 100\r\n\r\n{")
            start = time.monotonic()
            if mode == "trickle":
                try:
                    for _ in range(40):
                        if select.select([s], [], [], 0.2)[0]:
                            break  # the server answered
                        s.sendall(b" ")
                except OSError:
                    pass
            try:
                answer = s.recv(200).split(b"\r\n")[0].decode() or "closed"
            except OSError as error:
                answer = type(error).__name__
            print(f"{answer} after {time.monotonic() - start:.1f} s")
            """#
        let silent = try DeployerHarness.run(["python3", "-c", script, String(harness.port), "silent"])
        #expect(silent.output.hasPrefix("HTTP/1.1 408"), "\(silent.output)")
        let trickle = try DeployerHarness.run(["python3", "-c", script, String(harness.port), "trickle"])
        #expect(trickle.output.hasPrefix("HTTP/1.1 408"), "\(trickle.output)")
        for answer in [silent.output, trickle.output] {
            let seconds = Double(answer.split(separator: " ").dropLast().last ?? "") ?? 99
            #expect(seconds < 5, "\(answer)")  // the 1 s timeout, not the client's own 10 s
        }
        let (_, list) = try await harness.request("GET", "/api/deployments")
        #expect(list == #"{"deployments":[]}"#)
    }

    @Test("an HTTP/1.0 request is answered and its connection closed at once, not held for the read timeout")
    func http10() async throws {
        let harness = try DeployerHarness()
        try await harness.start()
        let script = #"""
            import socket, sys, time
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.settimeout(20)
            start = time.monotonic()
            s.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            status = data.split(b"\r\n")[0].decode()
            print(f"{status} closed after {time.monotonic() - start:.1f} s")
            """#
        let result = try DeployerHarness.run(["python3", "-c", script, String(harness.port)])
        #expect(result.output.hasPrefix("HTTP/1.1 200 OK closed after"), "\(result.output)")
        let seconds = Double(result.output.split(separator: " ").dropLast().last ?? "") ?? 99
        #expect(seconds < 2, "\(result.output)")
    }
}
