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
        #expect(any.inDomainExamples == ModelKindChoice.ensembleFrom && any.bySize == ModelManifest.ensembleKind)
        // Written for the n-gram model only: the n-gram model, even on large data.
        var tried: [String] = []
        let ngramOnly = try ModelKindChoice.resolve(requested: "auto", examples: large) { kind -> String in
            tried.append(kind)
            guard kind == ModelManifest.ngramKind else { throw Refusal.notFor(kind) }
            return kind
        }
        #expect(ngramOnly.kind == ModelManifest.ngramKind && tried.first == ModelManifest.ensembleKind && ngramOnly.alsoFits.isEmpty)
        // Nothing fits: every kind's reason, the size rule's first.
        do {
            _ = try ModelKindChoice.resolve(requested: "auto", examples: large) { kind -> String in throw Refusal.notFor(kind) }
            Issue.record("a file no kind takes was accepted")
        } catch let error as ModelKindChoiceError {
            guard case .fitsNoKind(let refusals) = error else { Issue.record("\(error)"); return }
            #expect(refusals.map(\.kind) == [ModelManifest.ensembleKind, ModelManifest.ngramKind, ModelManifest.lstmAttentionKind])
            #expect("\(error)".contains("--model-kind"))
        }
        // Fits two kinds, not the size rule's: refused rather than read as either.
        let twoKinds = { (kind: String) throws -> String in
            guard kind != ModelManifest.ensembleKind else { throw Refusal.notFor(kind) }
            return kind
        }
        #expect {
            _ = try ModelKindChoice.resolve(requested: "auto", examples: large, fits: twoKinds)
        } throws: { error in
            guard case let .ambiguous(fits, bySize) = error as? ModelKindChoiceError else { return false }
            return fits == [ModelManifest.ngramKind, ModelManifest.lstmAttentionKind] && bySize == ModelManifest.ensembleKind
        }
        // The same file on small data: the size rule's kind fits, and the other kind it fits is named.
        let small = try ModelKindChoice.resolve(requested: "auto", examples: Self.examples(inDomain: 10), fits: twoKinds)
        #expect(small.kind == ModelManifest.ngramKind && small.alsoFits == [ModelManifest.lstmAttentionKind])
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
