import Foundation
import Testing
@testable import DeployerCore

@Suite("Deployer configuration")
struct ConfigurationTests {
    static func write(_ json: String, secret: String? = "s3cret\n") throws -> (config: String, secret: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let secretPath = directory.appendingPathComponent("secret").path
        if let secret { try secret.write(toFile: secretPath, atomically: true, encoding: .utf8) }
        let configPath = directory.appendingPathComponent("deployer.json").path
        try json.replacingOccurrences(of: "SECRET", with: secretPath).write(toFile: configPath, atomically: true, encoding: .utf8)
        return (configPath, secretPath)
    }

    static let minimal = #"{"repositories": ["acme/intentops"], "remote": "/srv/git/intentops.git", "secret_files": ["SECRET"]}"#

    @Test("a minimal file gets the documented defaults and the secret without its newline")
    func defaults() throws {
        let paths = try Self.write(Self.minimal)
        let configuration = try DeployerConfiguration.load(path: paths.config, environment: [:])
        #expect(configuration.port == 8090 && configuration.host == "127.0.0.1")
        #expect(configuration.maxBodyBytes == Limits.defaultMaxBodyBytes)
        #expect(configuration.secrets == [Array("s3cret".utf8)])
        #expect(configuration.tagPattern.hasPrefix("^v"))
    }

    @Test("environment overrides the file")
    func environmentOverrides() throws {
        let paths = try Self.write(Self.minimal)
        let configuration = try DeployerConfiguration.load(path: paths.config, environment: ["DEPLOYER_PORT": "9999", "DEPLOYER_HOST": "0.0.0.0"])
        #expect(configuration.port == 9999 && configuration.host == "0.0.0.0")
    }

    @Test("an empty or missing secret refuses to start")
    func secrets() throws {
        let empty = try Self.write(Self.minimal, secret: "\n")
        #expect { try DeployerConfiguration.load(path: empty.config, environment: [:]) } throws: { "\($0)".contains("is empty") }
        let missing = try Self.write(Self.minimal, secret: nil)
        #expect { try DeployerConfiguration.load(path: missing.config, environment: [:]) } throws: { "\($0)".contains("cannot be read") }
        let none = try Self.write(#"{"repositories": ["a/b"], "remote": "/x", "secret_files": []}"#)
        #expect { try DeployerConfiguration.load(path: none.config, environment: [:]) } throws: { "\($0)".contains("secret_files") }
    }

    @Test("invalid fields are named", arguments: [
        (#"{"repositories": ["nope"], "remote": "/x", "secret_files": ["SECRET"]}"#, "repositories[0]"),
        (#"{"repositories": ["a/b"], "remote": "--upload-pack=x", "secret_files": ["SECRET"]}"#, "remote"),
        (#"{"repositories": ["a/b"], "remote": "/x", "secret_files": ["SECRET"], "port": 0}"#, "port"),
        (#"{"repositories": ["a/b"], "remote": "/x", "secret_files": ["SECRET"], "tag_pattern": "("}"#, "tag_pattern"),
        (#"{"repositories": ["a/b"], "remote": "/x", "secret_files": ["SECRET"], "stages": [{"name": "t", "argv": []}]}"#, "stages[0].argv"),
        (#"{"repositories": ["a/b"], "remote": "/x", "secret_files": ["SECRET"], "environments": [{"name": "s", "overlay": "o", "namespace": "n", "deployments": []}]}"#, "environments[0].deployments"),
        (#"{"repositories": ["a/b"], "remote": "/x", "secret_files": ["SECRET"], "smoke": 1}"#, "unknown field 'smoke'"),
        (#"{"repositories": ["a/b"], "remote": "/x", "secret_files": ["SECRET"], "read_timeout_seconds": 0}"#, "read_timeout_seconds"),
        (#"{"repositories": "a/b", "remote": "/x", "secret_files": ["SECRET"]}"#, "repositories"),
        (#"{"remote": "/x", "secret_files": ["SECRET"]}"#, "repositories"),
    ])
    func invalid(json: String, mentions: String) throws {
        let paths = try Self.write(json)
        #expect { try DeployerConfiguration.load(path: paths.config, environment: [:]) } throws: { error in
            "\(error)".contains(mentions)
        }
    }
}
