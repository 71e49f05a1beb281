import Foundation
import Testing
@testable import IntentML

@Suite("--model-kind auto")
struct ModelKindChoiceTests {
    static func examples(inDomain: Int, outOfDomain: Int = 0) -> [LabeledExample] {
        (0..<inDomain).map { LabeledExample(text: "sentence \($0)", label: "intent_\($0 % 7)") }
            + (0..<outOfDomain).map { LabeledExample(text: "noise \($0)", label: LabelSet.unknownLabel) }
    }

    @Test("the n-gram model below the threshold, the ensemble from it; out-of-domain rows do not count")
    func bySize() {
        let threshold = ModelKindChoice.ensembleFrom
        #expect(ModelKindChoice.kind(for: Self.examples(inDomain: threshold - 1)) == ModelManifest.ngramKind)
        #expect(ModelKindChoice.kind(for: Self.examples(inDomain: threshold)) == ModelManifest.ensembleKind)
        #expect(ModelKindChoice.kind(for: Self.examples(inDomain: threshold - 1, outOfDomain: 500)) == ModelManifest.ngramKind)
        #expect(ModelKindChoice.kind(for: DefaultDataset.examples()) == ModelManifest.ngramKind, "the built-in demo stays fast")
    }

    enum Refusal: Error, Equatable { case notFor(String) }

    @Test("a file written for one kind decides; an explicit kind is kept; when nothing fits, the size rule's error")
    func resolution() throws {
        let large = Self.examples(inDomain: ModelKindChoice.ensembleFrom)
        // Fits every kind: the size rule decides.
        let any = try ModelKindChoice.resolve(requested: "auto", examples: large) { $0 }
        #expect(any.kind == ModelManifest.ensembleKind && any.automatic)
        // Written for the n-gram model only: the n-gram model, even on large data.
        var tried: [String] = []
        let ngramOnly = try ModelKindChoice.resolve(requested: "auto", examples: large) { kind -> String in
            tried.append(kind)
            guard kind == ModelManifest.ngramKind else { throw Refusal.notFor(kind) }
            return kind
        }
        #expect(ngramOnly.kind == ModelManifest.ngramKind && tried.first == ModelManifest.ensembleKind)
        // Nothing fits: the error of the kind the size rule chose.
        #expect(throws: Refusal.notFor(ModelManifest.ensembleKind)) {
            _ = try ModelKindChoice.resolve(requested: "auto", examples: large) { kind -> String in throw Refusal.notFor(kind) }
        }
        // An explicit kind is never swapped for another.
        #expect(throws: Refusal.notFor(ModelManifest.lstmAttentionKind)) {
            _ = try ModelKindChoice.resolve(requested: ModelManifest.lstmAttentionKind, examples: large) { kind -> String in
                guard kind == ModelManifest.ngramKind else { throw Refusal.notFor(kind) }
                return kind
            }
        }
        let explicit = try ModelKindChoice.resolve(requested: ModelManifest.ngramKind, examples: large) { $0 }
        #expect(explicit.kind == ModelManifest.ngramKind && !explicit.automatic)
    }
}
