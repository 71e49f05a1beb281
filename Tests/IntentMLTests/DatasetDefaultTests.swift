import Foundation
import Testing
@testable import IntentML

@Suite("Built-in default dataset")
struct DatasetDefaultTests {
    /// The scripts a sentence uses, by Unicode block.
    static func scripts(of text: String) -> Set<String> {
        var found: Set<String> = []
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x41...0x5A, 0x61...0x7A: found.insert("Latin")
            case 0x0400...0x04FF: found.insert("Cyrillic")
            case 0x0600...0x06FF: found.insert("Arabic")
            case 0x0E00...0x0E7F: found.insert("Thai")
            case 0x4E00...0x9FFF: found.insert("Han")
            default: break
            }
        }
        return found
    }

    @Test("every line parses, with its line as source, and the reader agrees")
    func parses() throws {
        let examples = DefaultDataset.examples()
        let lines = DefaultDataset.tsv.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(examples.count == lines.count)
        #expect(examples.count >= 150 && examples.count <= 250)
        #expect(examples.first?.source == IntentML.SourceLocation(file: "<built-in>", line: 1))
        #expect(examples.allSatisfy { !$0.text.isEmpty && !$0.labels.isEmpty && $0.text == $0.text.trimmingWhitespace() })
        #expect(Set(examples.map(\.text)).count == examples.count, "no duplicate sentences")
        let read = try DatasetTestFiles.with(DefaultDataset.tsv, ext: "tsv") {
            try DatasetReader.readExamples(path: $0, options: DatasetOptions(format: .tsv))
        }
        #expect(read.map(\.text) == examples.map(\.text))
        #expect(read.map(\.labels) == examples.map(\.labels))
    }

    @Test("every class has at least 10 rows, and there are multi-intent rows")
    func classSizes() {
        let examples = DefaultDataset.examples()
        let perClass = Dictionary(grouping: examples, by: \.labels.canonical).mapValues(\.count)
        #expect(perClass.count >= 8)
        for (name, count) in perClass { #expect(count >= 10, "\(name): \(count)") }
        #expect(examples.contains { $0.labels.labels.count > 1 })
    }

    @Test("Latin, Cyrillic, Arabic, Han and Thai for every single intent")
    func scriptsPerIntent() {
        let examples = DefaultDataset.examples().filter { $0.labels.labels.count == 1 }
        for (intent, rows) in Dictionary(grouping: examples, by: \.labels.canonical) {
            let scripts = rows.reduce(into: Set<String>()) { $0.formUnion(Self.scripts(of: $1.text)) }
            #expect(scripts == ["Latin", "Cyrillic", "Arabic", "Han", "Thai"], "\(intent)")
        }
    }

    @Test("out-of-domain sentences: several scripts, none in the training data")
    func outOfDomain() {
        let ood = DefaultDataset.oodSentences
        #expect(ood.count >= 10)
        #expect(Set(ood).isDisjoint(with: Set(DefaultDataset.examples().map(\.text))))
        let scripts = ood.reduce(into: Set<String>()) { $0.formUnion(Self.scripts(of: $1)) }
        #expect(scripts.isSuperset(of: ["Latin", "Cyrillic", "Arabic", "Han", "Thai"]))
    }

    @Test("the name is fixed: it is recorded in model manifests")
    func name() {
        #expect(DefaultDataset.name == "intentops-demo-v1")
    }
}
