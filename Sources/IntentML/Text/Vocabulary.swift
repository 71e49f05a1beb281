/// The words of the training data that occur at least `minCount` times.
///
/// A word in the vocabulary gets a unigram feature of its own; an out-of-vocabulary word contributes only
/// its character n-grams (and word n-grams), so a typo or an unseen inflection still lands near its
/// relatives. Words are stored in a stable order (count descending, then text) so the bundle is
/// reproducible; look-up goes through the token hash and allocates nothing.
public struct Vocabulary: Sendable, Equatable {
    /// The kept words, most frequent first.
    public private(set) var words: [String]
    /// How often each kept word occurred in training, parallel to `words`.
    public private(set) var counts: [Int]
    /// The minimum count a word needed to be kept.
    public let minCount: Int
    private var hashes: Set<UInt64>

    /// Builds a vocabulary from token counts, keeping words seen at least `minCount` times.
    public init(counts tokenCounts: [String: Int], minCount: Int) {
        let kept = tokenCounts.filter { $0.value >= minCount }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        self.init(words: kept.map(\.key), counts: kept.map(\.value), minCount: minCount)
    }

    /// Restores a vocabulary from its stored words and counts (as written in a bundle).
    public init(words: [String], counts: [Int], minCount: Int) {
        precondition(words.count == counts.count, "words and counts must be parallel")
        self.words = words
        self.counts = counts
        self.minCount = minCount
        self.hashes = Set(words.map(FeatureHashing.tokenHash))
    }

    /// Counts the tokens of `texts` and keeps those seen at least `minCount` times.
    public static func build<S: Sequence>(from texts: S, minCount: Int) -> Vocabulary where S.Element == String {
        var tokenCounts: [String: Int] = [:]
        for text in texts {
            for token in Tokenizer.tokens(of: text) { tokenCounts[token, default: 0] += 1 }
        }
        return Vocabulary(counts: tokenCounts, minCount: max(1, minCount))
    }

    /// The number of kept words.
    public var count: Int { words.count }

    /// Whether `token` (already normalised) is in the vocabulary.
    public func contains(_ token: String) -> Bool { hashes.contains(FeatureHashing.tokenHash(token)) }

    /// Whether the token with this hash is in the vocabulary (the allocation-free path).
    @inline(__always)
    func contains(hash: UInt64) -> Bool { hashes.contains(hash) }

    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool {
        lhs.words == rhs.words && lhs.counts == rhs.counts && lhs.minCount == rhs.minCount
    }
}
