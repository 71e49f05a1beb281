import Foundation
import IntentSupport
import Testing
@testable import IntentML
import TestSupport

/// Bundles must give back every word they were trained on: a reloaded model answers what the trained one did.
@Suite("Bundle vocabulary round trip")
struct BundleVocabularyTests {
    /// Pieces of text a tokenizer can turn into words that a line-based file format gets wrong.
    static let awkwardPieces: [String] = [
        "#", "#hashtag", "flight #123", "##", "# comment", "\\", "\\t", "\\n", "back\\slash", "a\\\\b",
        "tab\there", "cr\rhere", "crlf\r\nhere", "line\u{2028}sep", "para\u{2029}sep", "nel\u{85}here",
        "\u{1}ctl\u{1F}", "del\u{7F}x", "\u{9B}csi", "zero\u{200B}width", "bom\u{FEFF}x", "zwj\u{200D}x",
        "\u{301}", "\u{301}\u{302}lone", "e\u{301}", "\u{65E5}\u{672C}", "\u{E44}\u{E17}\u{E22}", "\u{D55C}\u{AE00}",
        "\u{627}\u{644}\u{639}\u{631}\u{628}\u{64A}\u{629}", "\u{5E9}\u{5DC}\u{5D5}\u{5DD}", "\u{915}\u{94D}\u{937}",
        "\u{41F}\u{440}\u{438}\u{432}\u{435}\u{442}", "\u{1F600}", "\u{1F1EB}\u{1F1F7}", "\u{10000}", "%zz", "\"quoted\"",
        "{json}", "x=1&y=2",
    ]

    /// Sentences drawn from plain words and the awkward pieces; the intent follows the first plain word, so
    /// the model has something to learn and the awkward words sit in its vocabulary with real weight.
    static func generatedExamples(seed: UInt64, count: Int) -> [LabeledExample] {
        let intents = ["book", "cancel", "weather", "music"]
        let plain = ["please", "now", "today", "me", "the", "a", "for", "tomorrow"]
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let intent = intents[index % intents.count]
            var words = [intent]
            for _ in 0..<(2 + random.nextIndex(below: 6)) {
                words.append(random.nextIndex(below: 2) == 0
                    ? awkwardPieces[random.nextIndex(below: awkwardPieces.count)]
                    : plain[random.nextIndex(below: plain.count)])
            }
            return LabeledExample(text: words.joined(separator: " "), label: intent)
        }
    }

    static func train(kind: String, on examples: [LabeledExample]) throws -> IntentClassifier {
        switch kind {
        case ModelManifest.lstmAttentionKind:
            let settings = LSTMAttentionTests.small(embedding: 8, hidden: 6, attention: 5, epochs: 2)
            return .lstmAttention(try LSTMTrainer(hyperparameters: settings, seed: 5).train(examples).classifier)
        case ModelManifest.ensembleKind:
            let settings = EnsembleTests.settings()
            let ngram = try NGramTrainer(hyperparameters: settings.members.ngram, seed: 5).train(examples)
            let lstm = try LSTMTrainer(hyperparameters: settings.members.lstmAttention, seed: 5).train(examples).classifier
            return .ensemble(try EnsembleClassifier(ngram: ngram, lstmAttention: lstm, hyperparameters: settings, unknownThreshold: 0))
        default:
            var settings = Hyperparameters()
            settings.dimension = 8
            settings.epochs = 5
            return .ngram(try NGramTrainer(hyperparameters: settings, seed: 5).train(examples))
        }
    }

    /// The vocabularies of a classifier (both members' for an ensemble), each word as its scalars, so that
    /// two canonically equivalent spellings do not compare equal.
    static func vocabularies(of classifier: IntentClassifier) -> [[[UInt32]]] {
        func scalars(_ vocabulary: Vocabulary) -> [[UInt32]] { vocabulary.words.map { $0.unicodeScalars.map(\.value) } }
        switch classifier {
        case .ngram(let model): return [scalars(model.extractor.vocabulary)]
        case .lstmAttention(let model): return [scalars(model.vocabulary)]
        case .ensemble(let model): return [scalars(model.ngram.extractor.vocabulary), scalars(model.lstmAttention.vocabulary)]
        }
    }

    static func writeAndLoad(_ classifier: IntentClassifier) throws -> IntentClassifier {
        let bundle = ModelBundle(
            classifier: classifier, name: "awkward", toolVersion: "test", seed: 5, threads: 1,
            trainingData: .init(sha256: "00", sources: ["<generated>"], examples: 1, validationExamples: 0, outOfDomainExamples: 0),
            metrics: [:])
        let path = TestDirectories.make().path + "/model"
        try bundle.write(to: path)
        return try ModelBundle.load(from: path).classifier
    }

    @Test("a model trained on generated text with '#', tabs, backslashes, separators, controls, lone marks and many scripts reloads to the same answers bit for bit", arguments: ModelHyperparameters.kinds)
    func generatedText(kind: String) throws {
        let examples = Self.generatedExamples(seed: 17, count: 240)
        let trained = try Self.train(kind: kind, on: examples)
        // The awkward words are really in the vocabulary, or the test would prove nothing.
        let words = Set(Self.vocabularies(of: trained)[0].map { String(String.UnicodeScalarView($0.compactMap(Unicode.Scalar.init))) })
        #expect(words.contains("#") && words.contains("\\") && words.contains("\u{301}"))
        let loaded = try Self.writeAndLoad(trained)
        #expect(Self.vocabularies(of: loaded) == Self.vocabularies(of: trained))
        let probes = Self.generatedExamples(seed: 99, count: 120).map(\.text) + Self.awkwardPieces
        let differing = probes.filter { loaded.predict($0, topK: 4) != trained.predict($0, topK: 4) }
        #expect(differing.isEmpty, "\(kind) answers \(differing.count) of \(probes.count) sentences differently after reloading, first \(differing.first.debugDescription)")
    }

    @Test("a training set with hashtags and flight numbers loads back for every kind", arguments: ModelHyperparameters.kinds)
    func hashSigns(kind: String) throws {
        var examples = DefaultDataset.examples()
        examples += (0..<12).map { LabeledExample(text: "status of flight #\(100 + $0) #delayed", label: "flight_status") }
        let trained = try Self.train(kind: kind, on: examples)
        let loaded = try Self.writeAndLoad(trained)
        #expect(Self.vocabularies(of: loaded) == Self.vocabularies(of: trained))
        let probes = ["status of flight #104", "#delayed", "# # #"] + examples.prefix(20).map(\.text)
        #expect(probes.filter { loaded.predict($0, topK: 3) != trained.predict($0, topK: 3) }.isEmpty)
    }

    /// The bundles in `Fixtures/bundle-v1` were written by format 1 (`intent train --threads 1 --seed 1` on
    /// `data.tsv`, whose sentences hold '#' (its own token: '#undo' is '#' and 'undo') and a backslash): format 1 wrote those words raw and its
    /// reader dropped every line starting with '#', so the LSTM and the ensemble could not be loaded at all.
    @Test("format-1 bundles still load, with their '#' words, and answer the same once rewritten in the current format", arguments: ModelHyperparameters.kinds)
    func formatOneBundles(kind: String) throws {
        guard let fixtures = Bundle.module.url(forResource: "bundle-v1", withExtension: nil, subdirectory: "Fixtures") else {
            Issue.record("Fixtures/bundle-v1 is not among the test resources")
            return
        }
        let old = try ModelBundle.load(from: fixtures.appendingPathComponent(kind).path)
        #expect(old.manifest.formatVersion == 1)
        let words = Self.vocabularies(of: old.classifier).flatMap { $0 }
        #expect(words.contains([35]) && words.contains([92]))
        // The word count of '#' is what the data holds: nothing was dropped or merged.
        let data = try String(contentsOf: fixtures.appendingPathComponent("data.tsv"), encoding: .utf8)
        let hashCount = data.split(separator: "\n").flatMap { Tokenizer.tokens(of: String($0.split(separator: "\t")[0])) }.filter { $0 == "#" }.count
        if case .ngram(let model) = old.classifier {
            #expect(model.extractor.vocabulary.counts[model.extractor.vocabulary.words.firstIndex(of: "#") ?? 0] == hashCount)
        }
        let rewritten = try Self.writeAndLoad(old.classifier)
        let probes = data.split(separator: "\n").map { String($0.split(separator: "\t")[0]) } + ["# # #", "flight #12", "\\mix"]
        #expect(probes.filter { rewritten.predict($0, topK: 4) != old.classifier.predict($0, topK: 4) }.isEmpty)
    }

    /// `answers-KIND.tsv` holds what the format-1 bundle answered (best intent and its probability) for each
    /// sentence of `data.tsv` when it was the current format. Those bundles pooled by mean and say nothing of
    /// pooling; read with today's default pooling they would answer differently.
    @Test("format-1 n-gram and ensemble bundles answer what they answered when they were written", arguments: ["ngram", "ensemble"])
    func formatOneAnswers(kind: String) throws {
        guard let fixtures = Bundle.module.url(forResource: "bundle-v1", withExtension: nil, subdirectory: "Fixtures") else {
            Issue.record("Fixtures/bundle-v1 is not among the test resources")
            return
        }
        let old = try ModelBundle.load(from: fixtures.appendingPathComponent(kind).path)
        let sentences = try String(contentsOf: fixtures.appendingPathComponent("data.tsv"), encoding: .utf8)
            .split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        let answers = try String(contentsOf: fixtures.appendingPathComponent("answers-\(kind).tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t") }
        try #require(sentences.count == answers.count && !answers.isEmpty)
        for (sentence, answer) in zip(sentences, answers) {
            let best = try #require(old.classifier.predict(sentence, topK: 1).topK.first)
            #expect(best.label == String(answer[0]), "\(sentence)")
            #expect(abs(Double(best.score) - (Double(answer[1]) ?? -1)) < 2e-6, "\(sentence): \(best.score) now, \(answer[1]) then")
        }
    }

    @Test("every scalar a word may hold is written on one line and read back the same", arguments: [1, 2, 3] as [UInt64])
    func randomWords(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var counts: [[UInt32]: Int] = [:]
        while counts.count < 2_000 {
            var scalars: [UInt32] = []
            for _ in 0..<(1 + random.nextIndex(below: 6)) {
                // Half ASCII (controls, '#', '\\' included), half anywhere in Unicode.
                let value = random.nextIndex(below: 2) == 0 ? UInt32(1 + random.nextIndex(below: 127)) : UInt32(random.nextIndex(below: 0x110000))
                if Unicode.Scalar(value) != nil { scalars.append(value) }
            }
            if !scalars.isEmpty { counts[scalars] = 1 + random.nextIndex(below: 1000) }
        }
        let entries = counts.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        let words = entries.map { String(String.UnicodeScalarView($0.key.compactMap(Unicode.Scalar.init))) }
        let vocabulary = Vocabulary(words: words, counts: entries.map(\.value), minCount: 1)
        let data = VocabularyCodec.encode(vocabulary)
        // One line per word and the header: nothing a word holds can start a line.
        #expect(data.split(separator: 0x0A).count == words.count + 1)
        let decoded = try VocabularyCodec.decode(data, formatVersion: ModelManifest.currentFormatVersion, minCount: 1, path: "v")
        #expect(decoded.words.map { $0.unicodeScalars.map(\.value) } == entries.map(\.key))
        #expect(decoded.counts == entries.map(\.value))
    }

    @Test("a damaged vocabulary file is refused with its line", arguments: [
        ("# h\nword\t1\nword\t2\n", "line 3 repeats the word of line 2"),
        ("# h\nbad\\q\t1\n", "line 2 has the unknown escape"),
        ("# h\nbad\\u{110000}\t1\n", "not a Unicode scalar"),
        ("# h\nbad\\u{41\t1\n", "without '}'"),
        ("# h\nword 1\n", "line 2 is not word<TAB>count"),
        ("# h\nword\tmany\n", "line 2 has no count"),
        ("# h\n\nword\t1\n", "line 2 is empty"),
        ("word\t1\n", "line 1 is not the"),
    ])
    func damaged(file: String, message: String) {
        #expect { try VocabularyCodec.decode(Data(file.utf8), formatVersion: 2, minCount: 1, path: "vocabulary.txt") } throws: { error in
            guard case .inconsistent? = error as? ModelBundleError else { return false }
            return "\(error)".contains(message)
        }
    }

    @Test("a vocabulary that does not hold the manifest's number of words is refused")
    func countMismatch() throws {
        let path = TestDirectories.make().path + "/model"
        try ModelBundleTests.makeBundle().write(to: path)
        let url = URL(fileURLWithPath: path + "/" + ModelBundle.vocabularyFile)
        let shortened = try Data(contentsOf: url).split(separator: 0x0A).dropLast().map { Data($0) + Data([0x0A]) }.reduce(Data(), +)
        try shortened.write(to: url)
        // Re-sign the file in the manifest, so that only the count can give the damage away.
        let manifestURL = URL(fileURLWithPath: path + "/" + ModelBundle.manifestFile)
        var manifest = try JSONDecoder().decode(ModelManifest.self, from: Data(contentsOf: manifestURL))
        manifest.files[ModelBundle.vocabularyFile] = .init(sha256: SHA256.hexDigest(of: [UInt8](shortened)), bytes: shortened.count)
        try JSONEncoder().encode(manifest).write(to: manifestURL)
        #expect { try ModelBundle.load(from: path) } throws: { error in
            "\(error)".contains("vocabulary_size")
        }
    }
}
