import Foundation
import Testing
@testable import DeployerCore

/// docs/deployer.md's configuration table against the decoder: a field added to the code and not to the
/// reference (or documented and not read) fails here, so the reference cannot drift.
@Suite("Deployer configuration reference")
struct ConfigurationReferenceTests {
    /// Every field path the decoder reads: `port`, `stages[].argv`, `forge.kind`, ...
    static var decoded: Set<String> {
        var paths = Set(DeployerConfiguration.CodingKeys.allCases.map(\.stringValue))
        paths.formUnion(DeployerConfiguration.Stage.CodingKeys.allCases.map { "stages[].\($0.stringValue)" })
        paths.formUnion(DeployerConfiguration.Image.CodingKeys.allCases.map { "images[].\($0.stringValue)" })
        paths.formUnion(DeployerConfiguration.Environment.CodingKeys.allCases.map { "environments[].\($0.stringValue)" })
        paths.formUnion(DeployerConfiguration.Forge.CodingKeys.allCases.map { "forge.\($0.stringValue)" })
        return paths
    }

    /// Every field path the first column of the table names; `.name` after `stages[].x` means `stages[].name`.
    static func documented() throws -> Set<String> {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/deployer.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        guard let start = text.range(of: "### Configuration reference") else { return [] }
        var paths = Set<String>()
        var inTable = false
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            // The first table after the heading, to its end.
            if line.hasPrefix("|") { inTable = true } else if inTable { break }
            guard line.hasPrefix("| `") else { continue }
            let cell = line.split(separator: "|", omittingEmptySubsequences: true).first.map(String.init) ?? ""
            var prefix = ""
            for (index, token) in cell.components(separatedBy: "`").enumerated() where index % 2 == 1 {
                if token.hasPrefix(".") {
                    paths.insert(prefix + token)
                } else {
                    let name = token.hasSuffix("[]") ? String(token.dropLast(2)) : token
                    paths.insert(name)
                    if let dot = token.lastIndex(of: ".") { prefix = String(token[..<dot]) } else { prefix = token }
                }
            }
        }
        return paths
    }

    @Test("docs/deployer.md documents exactly the fields the decoder reads")
    func referenceMatchesDecoder() throws {
        let documented = try Self.documented()
        #expect(!documented.isEmpty)
        let decoded = Self.decoded
        #expect(decoded.subtracting(documented).isEmpty, "read but not documented: \(decoded.subtracting(documented).sorted())")
        #expect(documented.subtracting(decoded).isEmpty, "documented but not read: \(documented.subtracting(decoded).sorted())")
    }
}
