import Foundation
import Testing
@testable import IntentML
@testable import IntentReports

@Suite("Evaluation report: JSON contract, text and HTML")
struct EvaluationReportRenderingTests {
    static func sampleReport(hostileLabel: String = "flight") -> EvaluationReport {
        let examples = [
            EvaluationFixtures.example(gold: hostileLabel, predicted: hostileLabel, confidence: 0.9, scores: [0.1, 0.9]),
            EvaluationFixtures.example(gold: "airfare", predicted: hostileLabel, confidence: 0.6, scores: [0.4, 0.6]),
            EvaluationFixtures.example(gold: "airfare", predicted: "airfare", confidence: 0.8, scores: [0.8, 0.2]),
            EvaluationFixtures.example(gold: hostileLabel, predicted: LabelSet.unknownLabel, confidence: 0.3, scores: [0.3, 0.3]),
        ]
        return Evaluator.evaluate(classNames: ["airfare", hostileLabel], examples: examples, oodConfidences: [0.2, 0.7])
    }

    @Test("JSON uses the snake_case contract keys and round-trips")
    func jsonContract() throws {
        let report = Self.sampleReport()
        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["n", "accuracy", "accuracy_exact_string", "micro_precision", "micro_recall", "micro_f1",
                    "macro_precision", "macro_recall", "macro_f1", "weighted_f1", "per_intent", "confusion",
                    "roc_auc_macro", "roc_curves", "lift", "ece", "reliability_bins", "ood", "unseen_gold_labels"] {
            #expect(object[key] != nil, "missing key \(key)")
        }
        let confusion = try #require(object["confusion"] as? [String: Any])
        #expect(confusion["labels"] != nil && confusion["matrix"] != nil)
        let ood = try #require(object["ood"] as? [String: Any])
        for key in ["n", "auroc", "rejected_at_95_kept", "threshold_at_95_kept"] {
            #expect(ood[key] != nil, "missing ood key \(key)")
        }
        let intent = try #require((object["per_intent"] as? [[String: Any]])?.first)
        #expect(intent["roc_auc"] != nil && intent["support"] != nil)
        #expect(try JSONDecoder().decode(EvaluationReport.self, from: data) == report)
    }

    @Test("text output has the summary, the per-intent table and the OOD section")
    func text() {
        let text = Self.sampleReport().renderText()
        #expect(text.contains("accuracy (label-set match)"))
        #expect(text.contains("Per intent:"))
        #expect(text.contains("airfare"))
        #expect(text.contains("Out-of-domain (2 sentences"))
        #expect(text.contains("Lift"))
    }

    @Test("HTML is self-contained with the four charts and escapes a hostile label")
    func html() {
        let hostile = "<script>alert(1)</script>"
        let html = HTMLReport.render(report: Self.sampleReport(hostileLabel: hostile),
                                     title: "Eval <b>&", modelDescription: "model \"x\"")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 4)
        #expect(html.contains("aria-label=\"confusion matrix\""))
        #expect(html.contains("aria-label=\"ROC curves\""))
        #expect(html.contains("aria-label=\"reliability diagram\""))
        #expect(html.contains("aria-label=\"lift chart\""))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Eval &lt;b&gt;&amp;") && html.contains("model &quot;x&quot;"))
        // Self-contained: nothing fetched from the network.
        #expect(!html.contains("src=\"http") && !html.contains("<link"))
    }

    @Test("escape replaces all five special characters")
    func escaping() {
        #expect(HTMLReport.escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;")
    }
}
