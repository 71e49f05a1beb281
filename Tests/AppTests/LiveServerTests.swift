import Foundation
import TestSupport
import Logging
import Testing
@testable import App
#if canImport(Glibc)
import Glibc
#endif

/// `intent serve` as a process, over real sockets: shutdown and reload under load, and schemathesis
/// against its own OpenAPI document.
@Suite("intent serve live", .serialized)
struct LiveServerTests {
    /// What one load request got.
    struct Outcome: Sendable {
        var id: String
        /// nil: the connection failed before a response (the request may never have reached the server).
        var status: Int?
        var version: String?
        /// When the request was sent and when its answer came, relative to the load start.
        var sent: Double
        var at: Double
    }

    /// Keep-alive clients posting predictions with unique request ids until `until` says stop or, with
    /// `untilRefused`, until the server refuses new connections.
    final class Load: @unchecked Sendable {
        let port: Int
        let clients: Int
        let untilRefused: Bool
        private let lock = NSLock()
        private var outcomes: [Outcome] = []
        private var stopped = false
        private let done = DispatchGroup()
        let started = Date()

        init(port: Int, clients: Int, untilRefused: Bool) {
            self.port = port
            self.clients = clients
            self.untilRefused = untilRefused
        }

        func start() {
            for client in 0..<clients {
                done.enter()
                Thread.detachNewThread { [self] in
                    run(client)
                    done.leave()
                }
            }
        }

        func stop() {
            lock.lock()
            stopped = true
            lock.unlock()
        }

        var isStopped: Bool {
            lock.lock()
            defer { lock.unlock() }
            return stopped
        }

        /// Waits for every client to finish; returns every outcome.
        func finish(timeout: Double = 150) -> [Outcome] {
            _ = done.wait(timeout: .now() + timeout)
            lock.lock()
            defer { lock.unlock() }
            return outcomes
        }

        private var answeredCount = 0

        /// Responses received so far, by all clients.
        var answered: Int {
            lock.lock()
            defer { lock.unlock() }
            return answeredCount
        }

        private func run(_ client: Int) {
            var connection: HTTPConnection?
            var sequence = 0
            let sentences = ["book a table for two tonight", "what's the weather in Paris", "заказать столик на двоих", "明天天气怎么样", "play some jazz"]
            var mine: [Outcome] = []
            let deadline = Date().addingTimeInterval(120)
            while !isStopped, Date() < deadline {
                if connection == nil {
                    do {
                        connection = try HTTPConnection(port: port)
                    } catch {
                        if untilRefused { break }
                        usleep(5_000)
                        continue
                    }
                }
                sequence += 1
                let id = "c\(client)-\(sequence)"
                let text = sentences[sequence % sentences.count]
                let sent = Date().timeIntervalSince(started)
                do {
                    let response = try connection!.send("POST", "/v1/predict", body: #"{"text": "\#(text)"}"#, headers: ["X-Request-ID": id])
                    let version = (try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
                        .flatMap { ($0["model"] as? [String: Any])?["version"] as? String }
                    mine.append(Outcome(id: id, status: response.status, version: version, sent: sent, at: Date().timeIntervalSince(started)))
                    lock.lock()
                    answeredCount += 1
                    lock.unlock()
                    if response.headers["connection"] == "close" { connection = nil }
                } catch {
                    mine.append(Outcome(id: id, status: nil, version: nil, sent: sent, at: Date().timeIntervalSince(started)))
                    connection = nil
                }
            }
            lock.lock()
            outcomes += mine
            lock.unlock()
        }
    }

    static func waitUntil(_ condition: () -> Bool, seconds: Double = 30) {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition(), Date() < deadline { usleep(10_000) }
    }

    @Test("SIGTERM during a load burst: every request the server took is answered and logged, then it exits 0")
    func sigtermUnderLoad() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let logPath = directory.appendingPathComponent("requests.sqlite").path
        let server = try LiveServer(["--model", CommandLineTests.model.path, "--request-log", logPath])
        let load = Load(port: server.port, clients: 8, untilRefused: true)
        load.start()
        Self.waitUntil { load.answered >= 500 }
        server.signal(SIGTERM)
        let outcomes = load.finish()
        let status = server.waitForExit()
        #expect(status == 0, "exit status \(status)\n\(server.output)")

        let answered = outcomes.filter { $0.status != nil }
        #expect(answered.count >= 500, "load reached the server")
        #expect(answered.allSatisfy { $0.status == 200 }, "\(Set(answered.compactMap(\.status)))")
        // The request log is flushed on shutdown: the rows are exactly the requests answered. A row with no
        // answer would be a request the server took and lost; an answer with no row a lost log entry.
        let log = try RequestLog(settings: .init(path: logPath), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let logged = Set(try log.recent(limit: 1_000_000).map(\.requestID))
        let answeredIDs = Set(answered.map(\.id))
        #expect(logged.subtracting(answeredIDs).isEmpty, "taken but never answered: \(logged.subtracting(answeredIDs).prefix(10))")
        #expect(answeredIDs.subtracting(logged).isEmpty, "answered but not logged: \(answeredIDs.subtracting(logged).prefix(10))")
        #expect(server.output.contains("request log flushed"))
        // Standard error is a file here, not a terminal: every log line is a JSON object.
        let lines = server.output.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] is String && object?["message"] is String && object?["ts"] is String, "not a JSON log line: \(line)")
        }
        // After shutdown nothing listens.
        #expect(throws: LiveServerError.self) { _ = try HTTPConnection(port: server.port) }
    }

    @Test("hot reload under load loses no request; a corrupt bundle is refused while the old model keeps answering")
    func reloadUnderLoad() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let serving = directory.appendingPathComponent("serving")
        let next = directory.appendingPathComponent("next")
        try FileManager.default.copyItem(at: CommandLineTests.model, to: serving)
        let trained = try IntentProcess.run(["train", "--output", next.path, "--seed", "7", "--quiet"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let firstVersion = try ServedModel.load(path: serving.path).manifest.version
        let nextVersion = try ServedModel.load(path: next.path).manifest.version
        try #require(firstVersion != nextVersion)
        let token = directory.appendingPathComponent("token")
        try "reload-secret-0123456789".write(to: token, atomically: true, encoding: .utf8)

        let server = try LiveServer(["--model", serving.path, "--admin-token-file", token.path, "--request-log", "none"])
        let load = Load(port: server.port, clients: 6, untilRefused: false)
        load.start()
        Self.waitUntil { load.answered >= 300 }

        // A truncated weights file: refused with the reason, the old model keeps serving.
        let weights = serving.appendingPathComponent("weights.bin")
        let original = try Data(contentsOf: weights)
        try original.prefix(original.count / 2).write(to: weights)
        let admin = try HTTPConnection(port: server.port)
        let refused = try admin.send("POST", "/admin/reload", headers: ["Authorization": "Bearer reload-secret-0123456789"])
        #expect(refused.status == 422 && refused.body.contains("reload_failed"), "\(refused.body)")
        let refusedAt = Date().timeIntervalSince(load.started)
        let countAfterRefusal = load.answered
        Self.waitUntil { load.answered >= countAfterRefusal + 300 }

        // The new bundle in place, then SIGHUP: answers move to the new version with no gap.
        for name in try FileManager.default.contentsOfDirectory(atPath: next.path) {
            let target = serving.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: next.appendingPathComponent(name), to: target)
        }
        let hangupAt = Date().timeIntervalSince(load.started)
        server.signal(SIGHUP)
        Self.waitUntil {
            (try? HTTPConnection(port: server.port).send("GET", "/readyz").body.contains(nextVersion)) ?? false
        }
        let swappedAt = Date().timeIntervalSince(load.started)
        let countAfterReload = load.answered
        Self.waitUntil { load.answered >= countAfterReload + 300 }
        load.stop()
        let outcomes = load.finish()
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)

        #expect(outcomes.allSatisfy { $0.status == 200 }, "failed or non-200: \(outcomes.filter { $0.status != 200 }.prefix(5).map(\.id))")
        let versions = outcomes.compactMap(\.version)
        #expect(Set(versions) == [firstVersion, nextVersion], "\(Set(versions))\n\(server.output)")
        // Between the refused reload and SIGHUP the first model kept answering; once /readyz showed the
        // new version, only the new one answered (each request is answered by exactly one model).
        let betweenReloads = outcomes.filter { $0.sent > refusedAt && $0.at < hangupAt }
        #expect(!betweenReloads.isEmpty && betweenReloads.allSatisfy { $0.version == firstVersion })
        let afterSwap = outcomes.filter { $0.sent > swappedAt }
        #expect(!afterSwap.isEmpty && afterSwap.allSatisfy { $0.version == nextVersion })
        #expect(server.output.contains("reload"), "\(server.output)")
    }

    @Test("schemathesis (all checks) finds nothing against the live server's /openapi.json",
          .enabled(if: TestTools.schemathesis != nil || TestTools.ci, "needs schemathesis: pip install schemathesis (.ci/run installs it)"))
    func schemathesis() throws {
        // CI installs schemathesis (.ci/run); there its absence is a failure, not a skip.
        let st = try #require(TestTools.schemathesis, "schemathesis (st) is not installed")
        let directory = TestDirectories.make(prefix: "intent-cli")
        let token = directory.appendingPathComponent("token")
        try "schemathesis-secret-0123".write(to: token, atomically: true, encoding: .utf8)
        let server = try LiveServer(["--model", CommandLineTests.model.path, "--admin-token-file", token.path,
                                     "--request-log", directory.appendingPathComponent("requests.sqlite").path])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: st)
        process.arguments = ["run", "http://127.0.0.1:\(server.port)/openapi.json", "--checks", "all", "--max-examples", "40",
                             "--workers", "2", "--seed", "1", "-H", "Authorization: Bearer schemathesis-secret-0123", "--no-color"]
        process.currentDirectoryURL = directory
        let output = directory.appendingPathComponent("st.log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try process.waitForExit()
        let report = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        print("intent serve live: schemathesis: \(report.split(separator: "\n").last ?? "")")
        #expect(process.terminationStatus == 0, "\(report)")
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
    }

}
