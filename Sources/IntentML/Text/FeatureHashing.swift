/// Hashing of tokens and n-grams into a fixed space of feature ids (the "hashing trick").
///
/// FNV-1a over Unicode scalar values, finished with the SplitMix64 mixer so that nearby inputs land far
/// apart. Every kind of feature gets its own salt, so a word and a character n-gram with the same text are
/// different features. The functions are pure and platform independent: a bundle written on one machine
/// hashes the same way on another.
public enum FeatureHashing {
    static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// Salts that separate the kinds of feature.
    static let unigramSalt: UInt64 = 0x5157_4F52_4401_0001
    static let wordNgramSalt: UInt64 = 0x5157_4E47_5202_0002
    static let charNgramSalt: UInt64 = 0x4348_4152_4703_0003

    /// Hashes of the sentence boundaries, used as the outer words of the first and last word n-grams.
    static let beginOfSentence: UInt64 = 0x0B05_0B05_0B05_0B05
    static let endOfSentence: UInt64 = 0x0E05_0E05_0E05_0E05

    /// Folds one scalar into an FNV-1a state.
    @inline(__always)
    static func combine(_ state: UInt64, _ value: UInt32) -> UInt64 {
        (state ^ UInt64(value)) &* prime
    }

    /// The SplitMix64 finaliser: a bijective mixer.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The hash of one token's scalars.
    @inline(__always)
    static func tokenHash(_ scalars: UnsafeBufferPointer<Unicode.Scalar>, _ range: Range<Int>) -> UInt64 {
        var state = offsetBasis
        for index in range { state = combine(state, scalars[index].value) }
        return mix(state)
    }

    /// The hash of a token given as a string (for building and querying a `Vocabulary`).
    public static func tokenHash(_ token: String) -> UInt64 {
        var state = offsetBasis
        for scalar in token.unicodeScalars { state = combine(state, scalar.value) }
        return mix(state)
    }

    /// Reduces a 64-bit hash to a feature id in `0..<buckets`.
    @inline(__always)
    static func bucket(_ hash: UInt64, salt: UInt64, buckets: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: mix(hash ^ salt) % UInt64(buckets))
    }
}
