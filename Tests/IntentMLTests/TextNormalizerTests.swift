import Foundation
import Testing
@testable import IntentML

@Suite("Text normalisation fast path")
struct TextNormalizerTests {
    static func fast(_ text: String) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        TextNormalizer.appendNormalizedScalars(of: text, to: &scalars)
        return scalars
    }

    static func slow(_ text: String) -> [Unicode.Scalar] { Array(TextNormalizer.foundationNormalized(text)) }

    static var stableScalars: [Unicode.Scalar] {
        (UInt32(0x80)...0x10FFFF).compactMap(Unicode.Scalar.init).filter(TextNormalizer.isStable)
    }

    @Test("every scalar taken as stable is its own normal form by Foundation's NFKC and folding")
    func everyStableScalarIsUnchanged() {
        let stable = Self.stableScalars
        #expect(stable.count > 1_000_000)
        let changed = stable.filter { Self.slow(String($0)) != [$0] }
        #expect(changed.isEmpty, "changed: \(changed.prefix(10).map { String($0.value, radix: 16) })")
    }

    @Test("no stable scalar is the second scalar of a canonical decomposition, so none composes with what precedes it")
    func noStableScalarComposes() {
        var seconds = Set<UInt32>()
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let parts = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
            for part in parts.dropFirst() { seconds.insert(part.value) }
        }
        let stableSeconds = seconds.compactMap(Unicode.Scalar.init).filter(TextNormalizer.isStable)
        #expect(stableSeconds.isEmpty, "stable but composing: \(stableSeconds.map { String($0.value, radix: 16) })")
    }

    @Test("the fast path answers what Foundation answers: fixed cases and random text of stable scalars, ASCII and others")
    func sameAsFoundation() {
        let cases = ["天气怎么样", "สวัสดีครับ", "привет, как дела?", "Привет", "مرحبا بكم", "HOLA, ¿qué tal?", "Straße", "ﬁle",
                     "e\u{301}", "한국어", "\u{1100}\u{1161}", "Ｆｕｌｌ ｗｉｄｔｈ", "ᏣᎳᎩ", "a\u{200B}b", "x\u{0BC6}\u{0BBE}"]
        for text in cases { #expect(Self.fast(text) == Self.slow(text), "\(text)") }
        // Cherokee capitals and composing sequences must take Foundation's path, not be copied.
        #expect(Self.fast("ᏣᎳᎩ") != Array("ᏣᎳᎩ".unicodeScalars))
        #expect(Self.fast("e\u{301}") == ["\u{E9}"])
        let stable = Self.stableScalars
        let ascii = (UInt32(0x20)..<0x7F).compactMap(Unicode.Scalar.init)
        var random = SplitMix64(seed: 5)
        for _ in 0..<20_000 {
            var view = String.UnicodeScalarView()
            for _ in 0..<(2 + Int(random.next() % 8)) {
                let pool = random.next() % 3 == 0 ? ascii : stable
                view.append(pool[Int(random.next() % UInt64(pool.count))])
            }
            let text = String(view)
            #expect(Self.fast(text) == Self.slow(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
