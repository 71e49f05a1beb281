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

    static let stableScalars: [Unicode.Scalar] =
        (UInt32(0x80)...0x10FFFF).compactMap(Unicode.Scalar.init).filter(TextNormalizer.isStable)

    /// Stable scalars that are assigned and not private use: the ones real text is made of.
    static let assignedStableScalars: [Unicode.Scalar] = stableScalars.filter {
        $0.properties.generalCategory != .unassigned && $0.properties.generalCategory != .privateUse
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

    @Test("every pair of scalars from the Hangul jamo blocks (composed by rule, not by table) answers as Foundation does")
    func jamoPairs() {
        let blocks: [ClosedRange<UInt32>] = [0x1100...0x11FF, 0xA960...0xA97F, 0xD7B0...0xD7FF, 0xAC00...0xAC1C]
        let jamo = blocks.flatMap { $0.compactMap(Unicode.Scalar.init) }
        var differing: [String] = []
        for first in jamo {
            for second in jamo {
                let text = String(String.UnicodeScalarView([first, second]))
                if Self.fast(text) != Self.slow(text) { differing.append("\(String(first.value, radix: 16)) \(String(second.value, radix: 16))") }
            }
        }
        #expect(differing.isEmpty, "\(differing.count) pairs differ: \(differing.prefix(5))")
    }

    @Test("the fast path answers what Foundation answers: fixed cases and random text of stable scalars, ASCII and others")
    func sameAsFoundation() {
        let cases = ["天气怎么样", "สวัสดีครับ", "привет, как дела?", "Привет", "مرحبا بكم", "HOLA, ¿qué tal?", "Straße", "ﬁle",
                     "e\u{301}", "한국어", "\u{1100}\u{1161}", "\u{1100}\u{1176}", "\u{1113}\u{1176}", "Ｆｕｌｌ ｗｉｄｔｈ", "ᏣᎳᎩ", "a\u{200B}b", "x\u{0BC6}\u{0BBE}"]
        for text in cases { #expect(Self.fast(text) == Self.slow(text), "\(text)") }
        // Cherokee capitals and composing sequences must take Foundation's path, not be copied.
        #expect(Self.fast("ᏣᎳᎩ") != Array("ᏣᎳᎩ".unicodeScalars))
        #expect(Self.fast("e\u{301}") == ["\u{E9}"])
        let stable = Self.assignedStableScalars
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
