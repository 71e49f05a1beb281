import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
import TestSupport
#endif

/// A live `deployer serve` on 127.0.0.1 with a real git remote, the recording fakes on its PATH and its
/// own state directory: what the end-to-end tests drive over HTTP.
final class DeployerHarness: @unchecked Sendable {
    let root: URL
    let remote: URL
    let source: URL
    let fakeDirectory: URL
    let configPath: String
    let port: Int
    let secret = "e2e-secret-\(UUID().uuidString)"
    /// The admin API's Authorization header, when the harness set a token.
    private(set) var adminHeaders: [String: String] = [:]
    private var process: Process?

    /// The built `deployer` binary (SwiftPM builds every product before the tests run).
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("deployer").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("deployer")
    }

    /// The registry (`host:port`) images are pushed to: the local one of a real Docker test, else a name
    /// the fake docker never contacts.
    let registry: String

    /// - Parameter realDocker: the docker client to use against a running engine and the registry in
    ///   `registry`; nil puts the recording fake on PATH instead.
    /// - Parameter smoke: whether environments smoke-check the deployer's own /healthz (off for tests
    ///   that release from the command line with no server running).
    init(realDocker: (client: String, registry: String)? = nil, smoke: Bool = true, readTimeoutSeconds: Double? = nil,
         adminToken: String? = nil) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-e2e-\(UUID().uuidString)")
        source = root.appendingPathComponent("source")
        remote = root.appendingPathComponent("remote.git")
        fakeDirectory = root.appendingPathComponent("fake")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        let bin = try FakeTools.install(in: fakeDirectory, docker: realDocker == nil)
        if let realDocker {
            try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("docker").path, withDestinationPath: realDocker.client)
        }
        registry = realDocker?.registry ?? "registry.local"
        port = try TestPorts.free()
        configPath = root.appendingPathComponent("deployer.json").path
        try writeRepository()
        try secret.write(to: root.appendingPathComponent("secret"), atomically: true, encoding: .utf8)
        let config: [String: Any] = [
            "repositories": ["acme/intentops"],
            "remote": remote.path,
            "secret_files": [root.appendingPathComponent("secret").path],
            "port": port,
            "state_path": root.appendingPathComponent("state/state.sqlite").path,
            "work_directory": root.appendingPathComponent("work").path,
            "stages": [["name": "quality-gate", "argv": ["sh", "scripts/gate.sh"], "timeout_seconds": 120]],
            "stop_timeout_seconds": 2,
            "images": [
                ["name": "base", "dockerfile": "dockerfiles/base.Dockerfile", "repository": "\(registry)/intentops/base"],
                ["name": "api", "dockerfile": "dockerfiles/api.Dockerfile", "repository": "\(registry)/intentops/api",
                 "build_args": ["BASE_IMAGE": "{image:base}"]],
            ],
            "environments": [
                ["name": "staging", "overlay": "deploy/k8s/overlays/staging", "namespace": "intentops-staging",
                 "deployments": ["intent-api"], "smoke_url": "http://127.0.0.1:\(port)/healthz", "rollout_timeout_seconds": 30],
                ["name": "production", "overlay": "deploy/k8s/overlays/production", "namespace": "intentops",
                 "deployments": ["intent-api"], "smoke_url": "http://127.0.0.1:\(port)/healthz", "rollout_timeout_seconds": 30],
            ],
        ]
        var document = config
        if let readTimeoutSeconds { document["read_timeout_seconds"] = readTimeoutSeconds }
        if let adminToken {
            let file = root.appendingPathComponent("admin-token")
            try adminToken.write(to: file, atomically: true, encoding: .utf8)
            document["admin_token_file"] = file.path
            adminHeaders = ["Authorization": "Bearer \(adminToken)"]
        }
        if !smoke, let environments = config["environments"] as? [[String: Any]] {
            document["environments"] = environments.map { $0.filter { $0.key != "smoke_url" } }
        }
        try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: configPath))
    }

    /// Sets `field` of environment `name` in the configuration file.
    func setEnvironmentField(_ field: String, _ value: Any, in name: String) throws {
        let url = URL(fileURLWithPath: configPath)
        var document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        var environments = document["environments"] as? [[String: Any]] ?? []
        for index in environments.indices where environments[index]["name"] as? String == name { environments[index][field] = value }
        document["environments"] = environments
        try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted]).write(to: url)
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
        // Let any held fake step go.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: fakeDirectory.path)) ?? [] where name.hasPrefix("hold-") {
            try? FileManager.default.removeItem(at: fakeDirectory.appendingPathComponent(name))
        }
    }

    // MARK: - The git remote

    @discardableResult
    func git(_ arguments: String..., in directory: URL? = nil) throws -> String {
        let result = try Self.run(["git", "-C", (directory ?? source).path] + arguments)
        guard result.status == 0 else { throw HarnessError.command("git \(arguments.joined(separator: " ")): \(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func writeRepository() throws {
        let files = [
            "deploy/k8s/base/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n",
            "deploy/k8s/base/deployment.yaml": """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: intent-api
                spec:
                  selector:
                    matchLabels: {app: intent-api}
                  template:
                    metadata:
                      labels: {app: intent-api}
                    spec:
                      containers:
                        - name: api
                          image: \(registry)/intentops/api:latest

                """,
            "deploy/k8s/overlays/staging/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: intentops-staging\nresources:\n  - ../../base\n",
            "deploy/k8s/overlays/production/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: intentops\nresources:\n  - ../../base\n",
            "scripts/gate.sh": "\"$FAKE_DIR/bin/hold\" gate\ntest \"$(cat GATE)\" = pass || { echo \"quality gate failed: $(cat GATE)\"; exit 3; }\necho gate passed\n",
            "GATE": "pass\n",
            // Real images that need no base to pull: `scratch` plus files from the repository.
            "dockerfiles/base.Dockerfile": "FROM scratch\nCOPY GATE /release/GATE\n",
            "dockerfiles/api.Dockerfile": "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY scripts/gate.sh /release/gate.sh\n",
        ]
        for (path, text) in files {
            let url = source.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try git("init", "--quiet", "--initial-branch=main")
        try git("-c", "user.name=Test", "-c", "user.email=test@example.com", "add", ".")
        try git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "initial")
        _ = try Self.run(["git", "clone", "--quiet", "--bare", source.path, remote.path])
    }

    /// Commits `gate` as the quality gate's verdict, tags it (annotated) and pushes; returns the tag
    /// object's id (what a push payload's `after` names).
    @discardableResult
    func tag(_ name: String, gate: String = "pass") throws -> String {
        try "\(gate)\n".write(to: source.appendingPathComponent("GATE"), atomically: true, encoding: .utf8)
        try git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "--allow-empty", "-am", "release \(name)")
        try git("-c", "user.name=Test", "-c", "user.email=test@example.com", "tag", "-a", name, "-m", "release \(name)")
        try git("push", "--quiet", remote.path, "HEAD:refs/heads/main", "refs/tags/\(name)")
        return try git("rev-parse", "refs/tags/\(name)")
    }

    // MARK: - The deployer process

    /// The environment the deployer runs with: the fakes first on PATH.
    var deployerEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = fakeDirectory.appendingPathComponent("bin").path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["FAKE_DIR"] = fakeDirectory.path
        environment["DOCKER_BUILDKIT"] = "1"
        environment["REAL_KUBECTL"] = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? ""
        return environment
    }

    /// Runs `deployer ARGUMENTS` to its end (deploy, rollback, history); stdout and stderr together.
    func cli(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Self.run(arguments, executable: Self.executable, environment: deployerEnvironment)
    }

    /// Starts `deployer serve` and waits until /healthz answers.
    func start() async throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["serve", "--config", configPath]
        process.environment = deployerEnvironment
        let log = root.appendingPathComponent("deployer.log")
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
        for _ in 0..<400 {
            if let (status, _) = try? await request("GET", "/healthz"), status == 200 { return }
            guard process.isRunning else { throw HarnessError.command("deployer exited: \(logText)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError.command("deployer did not answer /healthz within 20 s: \(logText)")
    }

    /// The running server's pid.
    var pid: Int32? { process.map(\.processIdentifier) }

    /// CPU seconds (user + system) the running server has used so far, from /proc.
    func cpuSeconds() throws -> Double {
        guard let pid else { throw HarnessError.command("the deployer is not running") }
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
        let fields = stat[stat.index(after: stat.lastIndex(of: ")") ?? stat.startIndex)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw HarnessError.command("cannot read /proc/\(pid)/stat: \(stat)")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// `kill -9`, and wait for the process to be gone.
    func killHard() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        _ = try? process.waitForExit(timeout: 30)
    }

    /// SIGTERM, and wait for the graceful exit.
    func stop() -> Int32 {
        guard let process else { return -1 }
        process.terminate()
        return (try? process.waitForExit(timeout: 60)) ?? -1
    }

    var logText: String { (try? String(contentsOf: root.appendingPathComponent("deployer.log"), encoding: .utf8)) ?? "" }
}

enum HarnessError: Error, CustomStringConvertible {
    case command(String)
    var description: String {
        switch self { case .command(let text): return text }
    }
}
