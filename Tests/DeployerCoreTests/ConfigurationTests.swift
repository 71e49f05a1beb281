import Foundation
import Testing
@testable import DeployerCore

@Suite("Deployer configuration")
struct ConfigurationTests {
    static let secret = "s3cret-0123456789abcdef"

    static func write(_ json: String, secret: String? = ConfigurationTests.secret + "\n") throws -> (config: String, secret: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let secretPath = directory.appendingPathComponent("secret").path
        if let secret { try secret.write(toFile: secretPath, atomically: true, encoding: .utf8) }
        let configPath = directory.appendingPathComponent("deployer.json").path
        // REMOTE: a bare repository path that exists (a local remote must).
        let remote = directory.appendingPathComponent("remote.git").path
        try FileManager.default.createDirectory(atPath: remote, withIntermediateDirectories: true)
        try json.replacingOccurrences(of: "SECRET", with: secretPath).replacingOccurrences(of: "REMOTE", with: remote)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        return (configPath, secretPath)
    }

    static let minimal = #"{"repositories": ["acme/intentops"], "remote": "REMOTE", "secret_files": ["SECRET"]}"#

    @Test("a minimal file gets the documented defaults and the secret without its newline")
    func defaults() throws {
        let paths = try Self.write(Self.minimal)
        let configuration = try DeployerConfiguration.load(path: paths.config, environment: [:])
        #expect(configuration.port == 8090 && configuration.host == "127.0.0.1")
        #expect(configuration.maxBodyBytes == Limits.defaultMaxBodyBytes)
        #expect(configuration.secrets == [Array(Self.secret.utf8)])
        #expect(configuration.tagPattern.hasPrefix("^v"))
    }

    @Test("environment overrides the file")
    func environmentOverrides() throws {
        let paths = try Self.write(Self.minimal)
        let configuration = try DeployerConfiguration.load(path: paths.config, environment: ["DEPLOYER_PORT": "9999", "DEPLOYER_HOST": "0.0.0.0"])
        #expect(configuration.port == 9999 && configuration.host == "0.0.0.0")
    }

    @Test("a URL remote need not exist here; scp-like remotes are URLs too")
    func urlRemotes() throws {
        for remote in ["https://github.com/acme/intentops.git", "ssh://git@host/acme.git", "git@github.com:acme/intentops.git"] {
            let paths = try Self.write(Self.minimal.replacingOccurrences(of: "REMOTE", with: remote))
            #expect(try DeployerConfiguration.load(path: paths.config, environment: [:]).remote == remote)
        }
    }

    @Test("a white-space or short secret refuses to start")
    func weakSecrets() throws {
        let blank = try Self.write(Self.minimal, secret: "     \t  \n")
        #expect { try DeployerConfiguration.load(path: blank.config, environment: [:]) } throws: { "\($0)".contains("only white space") }
        let short = try Self.write(Self.minimal, secret: "abcde\n")
        #expect { try DeployerConfiguration.load(path: short.config, environment: [:]) } throws: { "\($0)".contains("at least 16") }
    }

    @Test("an empty or missing secret refuses to start")
    func secrets() throws {
        let empty = try Self.write(Self.minimal, secret: "\n")
        #expect { try DeployerConfiguration.load(path: empty.config, environment: [:]) } throws: { "\($0)".contains("is empty") }
        let missing = try Self.write(Self.minimal, secret: nil)
        #expect { try DeployerConfiguration.load(path: missing.config, environment: [:]) } throws: { "\($0)".contains("cannot be read") }
        let none = try Self.write(#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": []}"#)
        #expect { try DeployerConfiguration.load(path: none.config, environment: [:]) } throws: { "\($0)".contains("secret_files") }
    }

    @Test("invalid fields are named", arguments: [
        (#"{"repositories": ["nope"], "remote": "REMOTE", "secret_files": ["SECRET"]}"#, "repositories[0]"),
        (#"{"repositories": ["a/b"], "remote": "--upload-pack=x", "secret_files": ["SECRET"]}"#, "remote"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "port": 0}"#, "port"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "tag_pattern": "("}"#, "tag_pattern"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "stages": [{"name": "t", "argv": []}]}"#, "stages[0].argv"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "environments": [{"name": "s", "overlay": "o", "namespace": "n", "deployments": []}]}"#, "environments[0].deployments"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "smoke": 1}"#, "unknown field 'smoke'"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "read_timeout_seconds": 0}"#, "read_timeout_seconds"),
        (#"{"repositories": "a/b", "remote": "REMOTE", "secret_files": ["SECRET"]}"#, "repositories"),
        (#"{"remote": "REMOTE", "secret_files": ["SECRET"]}"#, "repositories"),
        // Misspelled fields inside the lists are refused like top-level ones (D7): "smokeurl" turned the check off.
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "environments": [{"name": "s", "overlay": "o", "namespace": "n", "deployments": ["d"], "smokeurl": "http://x/"}]}"#, "unknown field 'smokeurl'"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "stages": [{"name": "t", "argv": ["x"], "timeout": 5}]}"#, "unknown field 'timeout'"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "images": [{"name": "a", "dockerfile": "d", "repository": "r", "buildargs": {}}]}"#, "unknown field 'buildargs'"),
        // Placeholders that would reach docker as written (D8).
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "images": [{"name": "a", "dockerfile": "d", "repository": "r", "build_args": {"B": "{image:nope}"}}]}"#, "no image 'nope'"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "images": [{"name": "a", "dockerfile": "d", "repository": "r", "build_args": {"B": "{image:b}"}}, {"name": "b", "dockerfile": "d", "repository": "s"}]}"#, "listed before"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "images": [{"name": "a", "dockerfile": "d", "repository": "r", "build_args": {"B": "{version}"}}]}"#, "unknown placeholder {version}"),
        // Paths outside the checkout, a remote that is not there, a key written twice (D18).
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "environments": [{"name": "s", "overlay": "../../etc", "namespace": "n", "deployments": ["d"]}]}"#, "inside the repository"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "images": [{"name": "a", "dockerfile": "/etc/passwd", "repository": "r"}]}"#, "inside the repository"),
        (#"{"repositories": ["a/b"], "remote": "/nowhere/at/all.git", "secret_files": ["SECRET"]}"#, "neither a URL nor a path"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "port": 8090, "port": 9090}"#, "'port' is written twice"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "environments": [{"name": "s", "overlay": "o", "namespace": "n", "namespace": "m", "deployments": ["d"]}]}"#, "environments[0].namespace' is written twice"),
        (#"{"repositories": ["a/b"], "remote": "REMOTE", "secret_files": ["SECRET"], "docker_build_flags": ["host"]}"#, "docker_build_flags"),
    ])
    func invalid(json: String, mentions: String) throws {
        let paths = try Self.write(json)
        #expect { try DeployerConfiguration.load(path: paths.config, environment: [:]) } throws: { error in
            "\(error)".contains(mentions)
        }
    }
}
