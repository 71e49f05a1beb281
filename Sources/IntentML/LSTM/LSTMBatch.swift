/// A padded, time-major mini-batch of word ids.
struct LSTMBatch: Sendable {
    /// [T x B]: `tokens[t * count + b]`; entries past a sentence's length are ignored.
    var tokens: [Int32]
    /// [B]: each at least 1.
    var lengths: [Int]
    /// T, the longest length.
    var steps: Int
    /// B.
    var count: Int { lengths.count }

    /// Pads `sentences` (each non-empty) into one batch.
    init(_ sentences: [[Int32]]) {
        lengths = sentences.map(\.count)
        steps = lengths.max() ?? 0
        let count = sentences.count
        tokens = [Int32](repeating: 0, count: steps * count)
        for (b, sentence) in sentences.enumerated() {
            for (t, id) in sentence.enumerated() { tokens[t * count + b] = id }
        }
    }
}
