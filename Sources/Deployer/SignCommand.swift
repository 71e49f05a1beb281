import ArgumentParser
import DeployerCore
import Foundation

/// `deployer sign`: prints the signature header for a payload, for curl examples and tests.
struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Print the webhook signature header for the payload on standard input.",
        discussion: """
            Example:
              sig=$(deployer sign --secret-file secret < payload.json)
              curl -H "$sig" -H 'X-GitHub-Event: push' -H 'X-GitHub-Delivery: 1' \\
                   -H 'Content-Type: application/json' --data-binary @payload.json http://127.0.0.1:8090/webhook
            """)

    @Option(help: "File holding the webhook secret.")
    var secretFile: String

    @Option(help: "Header style: github (X-Hub-Signature-256), gitea or forgejo.")
    var provider: SignatureStyle = .github

    enum SignatureStyle: String, ExpressibleByArgument, CaseIterable {
        case github, gitea, forgejo
    }

    func run() async throws {
        var configuration = DeployerConfiguration(repositories: [], remote: "", secretFiles: [secretFile])
        try configuration.readSecrets()
        let payload = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        let signature = WebhookHandler.signature(body: payload, secret: configuration.secrets[0])
        switch provider {
        case .github: print("X-Hub-Signature-256: sha256=\(signature)")
        case .gitea: print("X-Gitea-Signature: \(signature)")
        case .forgejo: print("X-Forgejo-Signature: \(signature)")
        }
    }
}
