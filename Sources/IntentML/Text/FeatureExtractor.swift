/// Turns a sentence into hashed feature ids: in-vocabulary words, word n-grams and character n-grams.
///
/// For `show me flights` with word n-grams up to 2 and character n-grams of 3-5 it yields the unigrams
/// `show`, `me`, `flights`; the bigrams `<s> show`, `show me`, `me flights`, `flights </s>`; and the
/// character n-grams of `<show>`, `<me>`, `<flights>`. The ids are stable across runs and machines.
/// The hot path (`extract(_:into:)`) reuses the buffers in `FeatureScratch` and allocates nothing per token.
public struct FeatureExtractor: Sendable {
    /// Longest token, in scalars, whose character n-grams are taken: longer runs are not words, and the
    /// cost of n-grams grows with length.
    public static let maxCharNgramTokenLength = 48

    /// The kind of a feature, for explanations.
    public enum Kind: String, Sendable, Codable {
        case word, wordNgram = "word_ngram", charNgram = "char_ngram"
    }

    public let wordNgrams: Int
    public let charNgramMin: Int
    public let charNgramMax: Int
    public let buckets: UInt32
    public let vocabulary: Vocabulary

    /// An extractor with the hashing parameters of `hyperparameters` and a trained `vocabulary`.
    public init(hyperparameters: Hyperparameters, vocabulary: Vocabulary) {
        wordNgrams = max(1, hyperparameters.wordNgrams)
        charNgramMin = hyperparameters.charNgramMin
        charNgramMax = hyperparameters.charNgramMax
        buckets = hyperparameters.hashBuckets
        self.vocabulary = vocabulary
    }

    /// Fills `scratch.features` with the feature ids of `text` (duplicates kept: they count twice).
    public func extract(_ text: String, into scratch: inout FeatureScratch) {
        scratch.features.removeAll(keepingCapacity: true)
        forEachFeature(text, scratch: &scratch) { id, _, _, _, features in features.append(id) }
    }

    /// Every feature of `text` with where it came from: the kind, the token range and its text.
    public func describe(_ text: String) -> [FeatureOrigin] {
        var scratch = FeatureScratch()
        var origins: [FeatureOrigin] = []
        forEachFeature(text, scratch: &scratch) { id, kind, tokenRange, label, _ in
            origins.append(FeatureOrigin(id: id, kind: kind, tokens: tokenRange, text: label()))
        }
        return origins
    }

    /// The core walk shared by `extract` and `describe`. `label` builds a readable name lazily, so the hot
    /// path never creates strings.
    @inline(__always)
    func forEachFeature(
        _ text: String,
        scratch: inout FeatureScratch,
        _ body: (UInt32, Kind, Range<Int>, () -> String, inout [UInt32]) -> Void
    ) {
        scratch.prepare(text)
        let tokenCount = scratch.tokens.count
        var features = scratch.features
        scratch.features = []
        // Where the word n-grams and the character n-grams start in `features` (set as they are reached).
        var wordNgramStart = features.count, charNgramStart = features.count
        defer {
            scratch.features = features
            scratch.wordNgramStart = wordNgramStart
            scratch.charNgramStart = charNgramStart
        }
        scratch.scalars.withUnsafeBufferPointer { scalars in
            scratch.tokenHashes.removeAll(keepingCapacity: true)
            for range in scratch.tokens { scratch.tokenHashes.append(FeatureHashing.tokenHash(scalars, range)) }
            let tokens = scratch.tokens
            let hashes = scratch.tokenHashes
            func text(_ range: Range<Int>) -> String {
                var view = String.UnicodeScalarView()
                for token in range where token >= 0 && token < tokenCount {
                    if !view.isEmpty { view.append(" ") }
                    view.append(contentsOf: scalars[tokens[token]])
                }
                return String(view)
            }
            // Unigrams of in-vocabulary words.
            for index in 0..<tokenCount where vocabulary.contains(hash: hashes[index]) {
                let id = FeatureHashing.bucket(hashes[index], salt: FeatureHashing.unigramSalt, buckets: buckets)
                body(id, .word, index..<(index + 1), { text(index..<(index + 1)) }, &features)
            }
            wordNgramStart = features.count
            charNgramStart = features.count
            // Word n-grams over the sentence padded with boundary markers, so `<s> what` is a feature.
            if wordNgrams >= 2 && tokenCount > 0 {
                for order in 2...wordNgrams {
                    // Positions run over the padded sequence: -1 is <s>, tokenCount is </s>.
                    var start = -1
                    while start + order - 1 <= tokenCount {
                        var state = FeatureHashing.offsetBasis
                        for position in start..<(start + order) {
                            let hash = position < 0 ? FeatureHashing.beginOfSentence
                                : position >= tokenCount ? FeatureHashing.endOfSentence : hashes[position]
                            state = FeatureHashing.mix(state &+ hash)
                        }
                        let id = FeatureHashing.bucket(state &+ UInt64(order), salt: FeatureHashing.wordNgramSalt, buckets: buckets)
                        let range = start..<(start + order)
                        body(id, .wordNgram, range, {
                            (range.lowerBound < 0 ? "<s> " : "") + text(range) + (range.upperBound > tokenCount ? " </s>" : "")
                        }, &features)
                        start += 1
                    }
                }
            }
            charNgramStart = features.count
            // Character n-grams of each token wrapped in boundary markers `<` and `>`.
            guard charNgramMin > 0, charNgramMax >= charNgramMin else { return }
            let begin: UInt32 = 0x3C, end: UInt32 = 0x3E
            for (index, range) in tokens.enumerated() {
                let length = min(range.count, FeatureExtractor.maxCharNgramTokenLength)
                let padded = length + 2
                for order in charNgramMin...charNgramMax where order <= padded {
                    for offset in 0...(padded - order) {
                        var state = FeatureHashing.offsetBasis
                        for position in offset..<(offset + order) {
                            let value = position == 0 ? begin
                                : position == padded - 1 ? end : scalars[range.lowerBound + position - 1].value
                            state = FeatureHashing.combine(state, value)
                        }
                        let id = FeatureHashing.bucket(state, salt: FeatureHashing.charNgramSalt, buckets: buckets)
                        body(id, .charNgram, index..<(index + 1), {
                            var view = String.UnicodeScalarView()
                            for position in offset..<(offset + order) {
                                view.append(position == 0 ? "<" : position == padded - 1 ? ">"
                                    : scalars[range.lowerBound + position - 1])
                            }
                            return String(view)
                        }, &features)
                    }
                }
            }
        }
    }
}

/// Where one feature came from, for explanations.
public struct FeatureOrigin: Hashable, Sendable {
    /// The hashed feature id.
    public var id: UInt32
    /// Word, word n-gram or character n-gram.
    public var kind: FeatureExtractor.Kind
    /// The token positions it covers; -1 and `tokenCount` stand for the sentence boundaries.
    public var tokens: Range<Int>
    /// A readable form: `flights`, `<s> show`, `<fl`.
    public var text: String
}

/// Reusable buffers for feature extraction; one per thread.
public struct FeatureScratch: Sendable {
    var scalars: [Unicode.Scalar] = []
    /// The token ranges of the last sentence, as offsets into its normalised scalars.
    public internal(set) var tokens: [Range<Int>] = []
    var tokenHashes: [UInt64] = []
    /// The feature ids of the last sentence: its words, then its word n-grams from `wordNgramStart`, then
    /// its character n-grams from `charNgramStart`.
    public internal(set) var features: [UInt32] = []
    public internal(set) var wordNgramStart = 0
    public internal(set) var charNgramStart = 0

    public init() {
        scalars.reserveCapacity(256)
        tokens.reserveCapacity(64)
        tokenHashes.reserveCapacity(64)
        features.reserveCapacity(1024)
    }

    mutating func prepare(_ text: String) {
        scalars.removeAll(keepingCapacity: true)
        tokens.removeAll(keepingCapacity: true)
        TextNormalizer.appendNormalizedScalars(of: text, to: &scalars)
        Tokenizer.tokenize(scalars, into: &tokens)
    }
}
