import Foundation
import TestSupport
import Testing

/// The README as a newcomer follows it: every `intent` and `deployer` command in its code blocks names a
/// subcommand that exists and flags that subcommand accepts.
@Suite("README commands")
struct ReadmeCommandTests {
    /// The commands of the README's code blocks: executable, subcommand, flags.
    static func commands() throws -> [(tool: String, subcommand: String, flags: [String], line: String)] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        var inBlock = false
        var found: [(String, String, [String], String)] = []
        for line in try String(contentsOf: readme, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inBlock.toggle(); continue }
            guard inBlock else { continue }
            // The command itself: what comes before a comment or a pipe's next stage.
            let command = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? ""
            for stage in command.split(separator: "|") {
                let words = stage.split(separator: " ").map(String.init)
                guard let index = words.firstIndex(where: { $0 == "intent" || $0 == "deployer" || $0.hasSuffix("/intent") || $0.hasSuffix("/deployer") }),
                      index + 1 < words.count, words[index] != "intent" || words.first == "swift" || words[index].contains("/") else { continue }
                let tool = words[index].hasSuffix("deployer") ? "deployer" : "intent"
                let subcommand = words[index + 1]
                let flags = words[(index + 2)...].filter { $0.hasPrefix("--") }.map { $0.split(separator: "=").first.map(String.init) ?? $0 }
                found.append((tool, subcommand, flags, String(line)))
            }
        }
        return found
    }

    @Test("each README command's subcommand exists and accepts its flags")
    func commandsParse() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 5, "the README has \(commands.count) commands")
        let directory = IntentProcess.executable.deletingLastPathComponent()
        for command in commands {
            let binary = directory.appendingPathComponent(command.tool)
            let process = Process()
            process.executableURL = binary
            process.arguments = [command.subcommand, "--help"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let help = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(try process.waitForExit(timeout: 60) == 0, "\(command.line): \(command.tool) \(command.subcommand) --help failed: \(help.prefix(200))")
            for flag in command.flags {
                #expect(help.contains(flag), "\(command.line): \(command.tool) \(command.subcommand) has no \(flag)")
            }
        }
    }
}
