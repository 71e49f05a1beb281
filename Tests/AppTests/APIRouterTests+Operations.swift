import Foundation
import HTTPServing
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IntentML
import Logging
import NIOCore
import Testing
@testable import App
import TestSupport

/// Operating the API: hot reload, request ids and the environment it reads.
extension APIRouterTests {
    @Test("POST /admin/reload: needs the token, refuses a corrupt bundle while the old model serves, swaps in a good one")
    func reload() async throws {
        let directory = TestDirectories.make(prefix: "intent-cli").appendingPathComponent("served")
        try TestModels.bundle(seed: 1).write(to: directory.path)
        let other = TestDirectories.make(prefix: "intent-cli").appendingPathComponent("other")
        try TestModels.bundle(seed: 7).write(to: other.path)
        let tokenFile = TestDirectories.make(prefix: "intent-cli").appendingPathComponent("token")
        try "admin-token-for-tests-0123\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let served = ServedModel(try ServedModel.load(path: directory.path))
        let first = served.current.manifest.version
        let newer = try ServedModel.load(path: other.path).manifest.version
        #expect(first != newer)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let router = buildRouter(configuration: APIConfiguration(), model: served, reloader: ModelReloader(model: served, logger: logger),
                                 adminToken: try AdminToken(file: tokenFile.path))
        let application = Application(router: router, logger: logger)
        try await application.test(.router) { client in
            let bearer: HTTPFields = [.authorization: "Bearer admin-token-for-tests-0123"]
            try await client.execute(uri: "/admin/reload", method: .post, headers: [.authorization: "Bearer wrong-token-wrong-token"]) { response in
                #expect(response.status == .unauthorized && response.headers[.wwwAuthenticate] == "Bearer")
            }
            // A truncated weights file: refused, and the old model keeps answering.
            let weights = directory.appendingPathComponent(ModelBundle.weightsFile)
            let bytes = try Data(contentsOf: weights)
            try bytes.prefix(bytes.count / 2).write(to: weights)
            try await client.execute(uri: "/admin/reload", method: .post, headers: bearer) { response in
                #expect(response.status == .unprocessableContent && String(buffer: response.body).contains("reload_failed"))
            }
            try await client.execute(uri: "/v1/predict?text=hello", method: .get) { response in
                #expect(response.status == .ok && String(buffer: response.body).contains(first))
            }
            // A good bundle in its place: swapped in.
            for name in [ModelBundle.manifestFile, ModelBundle.weightsFile, ModelBundle.vocabularyFile] {
                try FileManager.default.removeItem(at: directory.appendingPathComponent(name))
                try FileManager.default.copyItem(at: other.appendingPathComponent(name), to: directory.appendingPathComponent(name))
            }
            try await client.execute(uri: "/admin/reload", method: .post, headers: bearer) { response in
                let body = String(buffer: response.body)
                #expect(response.status == .ok && body.contains(newer) && body.contains(first), "\(body)")
            }
            try await client.execute(uri: "/v1/predict?text=hello", method: .get) { response in
                #expect(String(buffer: response.body).contains(newer))
            }
        }
        // Admin off: no credentials is still a 401 (who is asking comes first), credentials a 403.
        let anonymous = try await Self.send(.post, "/admin/reload")
        #expect(anonymous.status == 401 && anonymous.headers[.wwwAuthenticate] == "Bearer")
        let disabled = try await Self.send(.post, "/admin/reload", headers: [.authorization: "Bearer anything"])
        #expect(disabled.status == 403 && disabled.body.contains("admin_disabled"))
    }

    @Test("X-Request-ID is echoed when sensible and generated otherwise, errors included")
    func requestIDs() async throws {
        let router = buildRouter(configuration: APIConfiguration(), model: try Self.served())
        let application = Application(router: router, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let header = HTTPField.Name("X-Request-ID")!
        try await application.test(.router) { client in
            try await client.execute(uri: "/v1/predict?text=hi", method: .get, headers: [header: "req-42"]) { response in
                #expect(response.headers[header] == "req-42")
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                let id = response.headers[header] ?? ""
                #expect(response.status == .notFound && id.count == 32 && id.allSatisfy(\.isHexDigit))
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [header: String(repeating: "x", count: 300)]) { response in
                #expect(response.headers[header]?.count == 32)
            }
        }
    }

    @Test("generated request ids are 32 hex digits and distinct, from concurrent tasks too")
    func generatedRequestIDs() async {
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 { group.addTask { (0..<5_000).map { _ in RequestIDMiddleware.generate() } } }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(ids.allSatisfy { $0.utf8.count == 32 && $0.allSatisfy(\.isHexDigit) })
        #expect(Set(ids).count == 20_000)
        // Neighbouring sequence numbers do not give neighbouring ids.
        #expect(RequestIDMiddleware.scramble(1) >> 32 != RequestIDMiddleware.scramble(2) >> 32)
    }

    @Test("HOST, PORT and INTENT_REQUEST_LOG come from the environment; a bad PORT is refused with its name")
    func environment() throws {
        let configuration = try APIConfiguration.fromEnvironment(["HOST": "0.0.0.0", "PORT": "9090", "INTENT_REQUEST_LOG": "/var/log/r.sqlite"])
        #expect(configuration.host == "0.0.0.0" && configuration.port == 9090 && configuration.requestLogPath == "/var/log/r.sqlite")
        #expect(try APIConfiguration.fromEnvironment([:]).requestLogPath == "intent-requests.sqlite")
        #expect(throws: (any Error).self) { try APIConfiguration.fromEnvironment(["PORT": "eighty"]) }
        #expect(try APIConfiguration.fromEnvironment([:]).port == 8080)
    }

    @Test("flags win over the environment, which wins over the defaults; a value out of range names its flag")
    func configurationPrecedence() throws {
        let environment = ["HOST": "0.0.0.0", "PORT": "9090", "INTENT_REQUEST_LOG": "/var/log/r.sqlite"]
        var overrides = APIConfiguration.Overrides()
        let fromEnvironment = try APIConfiguration.load(environment: environment, overrides: overrides)
        #expect(fromEnvironment.host == "0.0.0.0" && fromEnvironment.port == 9090 && fromEnvironment.requestLogPath == "/var/log/r.sqlite")
        overrides.host = "127.0.0.2"
        overrides.port = 7070
        overrides.requestLog = "none"
        overrides.idleTimeout = 2.5
        overrides.requestLogMaxAgeDays = 2
        let flagged = try APIConfiguration.load(environment: environment, overrides: overrides)
        #expect(flagged.host == "127.0.0.2" && flagged.port == 7070 && flagged.requestLogPath == "none")
        #expect(flagged.limits.idleTimeout == .milliseconds(2_500) && flagged.requestLogMaxAgeSeconds == 2 * 86_400)
        let defaults = try APIConfiguration.load(environment: [:], overrides: APIConfiguration.Overrides())
        #expect(defaults.host == "127.0.0.1" && defaults.port == 8080 && defaults.limits == ServerLimits())
        for (change, flag) in [({ (o: inout APIConfiguration.Overrides) in o.port = 0 }, "--port"),
                               ({ o in o.bodyTimeout = -1 }, "--body-timeout"),
                               ({ o in o.maxBodyBytesInFlight = 1 }, "--max-body-bytes-in-flight"),
                               ({ o in o.requestLogMaxRows = 0 }, "--request-log-max-rows"),
                               ({ o in o.docsAssets = "/nonexistent/swagger" }, "/nonexistent/swagger")]
            as [((inout APIConfiguration.Overrides) -> Void, String)] {
            var bad = APIConfiguration.Overrides()
            change(&bad)
            #expect { try APIConfiguration.load(environment: [:], overrides: bad) } throws: { "\($0)".contains(flag) }
        }
    }
}
