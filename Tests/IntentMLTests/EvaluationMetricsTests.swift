import Foundation
import Testing
@testable import IntentML
@testable import IntentReports

@Suite("Evaluation: accuracy, precision, recall and F1 over label-set classes")
struct EvaluationMetricsTests {
    /// Gold (rows) x predicted (columns), 10 examples:
    ///
    ///          A  B  C   support
    ///     A    3  1  0   4
    ///     B    1  2  0   3
    ///     C    1  1  1   3
    ///  predicted 5  4  1
    ///
    /// accuracy = (3 + 2 + 1) / 10 = 0.6
    /// A: P = 3/5 = 0.6,  R = 3/4 = 0.75, F1 = 2*0.6*0.75/1.35 = 2/3
    /// B: P = 2/4 = 0.5,  R = 2/3,        F1 = 2*0.5*(2/3)/(0.5+2/3) = 4/7
    /// C: P = 1/1 = 1,    R = 1/3,        F1 = 2*(1/3)/(4/3) = 0.5
    /// macro P = (0.6 + 0.5 + 1) / 3 = 0.7
    /// macro R = (0.75 + 2/3 + 1/3) / 3 = 0.583333...
    /// macro F1 = (2/3 + 4/7 + 1/2) / 3 = 0.579365...
    /// weighted F1 = (4*(2/3) + 3*(4/7) + 3*0.5) / 10 = 0.588095...
    static func handWorked() -> [ScoredExample] {
        EvaluationFixtures.examples(3, gold: "A", predicted: "A")
            + EvaluationFixtures.examples(1, gold: "A", predicted: "B")
            + EvaluationFixtures.examples(1, gold: "B", predicted: "A")
            + EvaluationFixtures.examples(2, gold: "B", predicted: "B")
            + EvaluationFixtures.examples(1, gold: "C", predicted: "A")
            + EvaluationFixtures.examples(1, gold: "C", predicted: "B")
            + EvaluationFixtures.examples(1, gold: "C", predicted: "C")
    }

    @Test("hand-worked 3-class confusion matrix gives the worked P/R/F1, macro and weighted averages")
    func handWorkedMatrix() throws {
        let report = Evaluator.evaluate(classNames: ["A", "B", "C"], examples: Self.handWorked())
        #expect(report.exampleCount == 10)
        #expect(EvaluationFixtures.close(report.accuracy, 0.6))
        #expect(report.confusion.labels == ["A", "B", "C"])
        #expect(report.confusion.counts == [[3, 1, 0], [1, 2, 0], [1, 1, 1]])

        let a = try #require(EvaluationFixtures.row(report, "A"))
        let b = try #require(EvaluationFixtures.row(report, "B"))
        let c = try #require(EvaluationFixtures.row(report, "C"))
        #expect((a.support, a.predicted, a.truePositives) == (4, 5, 3))
        #expect(EvaluationFixtures.close(a.precision, 0.6) && EvaluationFixtures.close(a.recall, 0.75))
        #expect(EvaluationFixtures.close(a.f1, 2.0 / 3))
        #expect(EvaluationFixtures.close(b.precision, 0.5) && EvaluationFixtures.close(b.recall, 2.0 / 3))
        #expect(EvaluationFixtures.close(b.f1, 4.0 / 7))
        #expect(EvaluationFixtures.close(c.precision, 1) && EvaluationFixtures.close(c.recall, 1.0 / 3))
        #expect(EvaluationFixtures.close(c.f1, 0.5))

        #expect(EvaluationFixtures.close(report.macroPrecision, 0.7))
        #expect(EvaluationFixtures.close(report.macroRecall, 1.75 / 3))
        let f1A: Double = 2.0 / 3
        let f1B: Double = 4.0 / 7
        let f1C: Double = 0.5
        let macroF1: Double = (f1A + f1B + f1C) / 3
        let weightedF1: Double = (4 * f1A + 3 * f1B + 3 * f1C) / 10
        #expect(EvaluationFixtures.close(report.macroF1, macroF1))
        #expect(EvaluationFixtures.close(report.weightedF1, weightedF1))
        // One gold and one predicted class per example: micro P = micro R = micro F1 = accuracy.
        #expect(EvaluationFixtures.close(report.microPrecision, 0.6))
        #expect(EvaluationFixtures.close(report.microRecall, 0.6))
        #expect(EvaluationFixtures.close(report.microF1, 0.6))
    }

    @Test("<unknown> predictions get their own last column; on data without gold <unknown> rows they stay out of the macro average")
    func unknownColumn() throws {
        let examples = EvaluationFixtures.examples(2, gold: "B", predicted: "B")
            + EvaluationFixtures.examples(1, gold: "A", predicted: "A")
            + EvaluationFixtures.examples(1, gold: "A", predicted: LabelSet.unknownLabel)
        let report = Evaluator.evaluate(classNames: ["A", "B"], examples: examples)
        #expect(report.confusion.labels == ["A", "B", LabelSet.unknownLabel])
        #expect(report.confusion.count(gold: "A", predicted: LabelSet.unknownLabel) == 1)
        #expect(report.predictedUnknown == 1)
        let unknown = try #require(EvaluationFixtures.row(report, LabelSet.unknownLabel))
        #expect(unknown.support == 0 && unknown.precision == 0 && unknown.f1 == 0)
        // A: P 1, R 0.5, F1 2/3; B: P 1, R 1, F1 1. No gold <unknown> row: closed-set data, so macro F1 =
        // (2/3 + 1) / 2 = 5/6 (a rejection is an error of A, not a class of its own with F1 0).
        #expect(EvaluationFixtures.close(report.macroF1, 5.0 / 6))
        // With a gold <unknown> row, <unknown> is a class of the average: (2/3 + 1 + 0) / 3 = 5/9 plus its row.
        let open = Evaluator.evaluate(classNames: ["A", "B"], examples: examples + [EvaluationFixtures.example(gold: LabelSet.unknownLabel, predicted: "B")])
        #expect(open.perIntent.map(\.label).contains(LabelSet.unknownLabel))
        #expect(open.macroF1 < report.macroF1)
        // Weighted by support (A 2, B 2, <unknown> 0): (2*(2/3) + 2*1) / 4 = 5/6.
        #expect(EvaluationFixtures.close(report.weightedF1, 5.0 / 6))
    }

    @Test("multi-intent: airfare+flight predicted as flight+airfare is set-correct but string-wrong")
    func setMatchVersusExactString() {
        let examples = [
            EvaluationFixtures.example(gold: "airfare+flight", predicted: "flight+airfare"),
            EvaluationFixtures.example(gold: "flight", predicted: "flight"),
        ]
        let report = Evaluator.evaluate(classNames: ["airfare+flight", "flight"], examples: examples)
        #expect(report.accuracy == 1)
        #expect(report.accuracyExactString == 0.5)
        #expect(report.confusion.labels == ["airfare+flight", "flight"])
        #expect(report.confusion.counts == [[1, 0], [0, 1]])
        #expect(report.unseenGoldLabels.isEmpty)
    }

    @Test("a gold set the model never saw is reported with its count, counted as an error, and does not trap")
    func unseenGoldLabel() throws {
        let examples = [
            EvaluationFixtures.example(gold: "ground_service", predicted: "flight", scores: [0.3, 0.7]),
            EvaluationFixtures.example(gold: "ground_service+flight", predicted: "flight", scores: [0.2, 0.8]),
            EvaluationFixtures.example(gold: "flight", predicted: "flight", scores: [0.1, 0.9]),
            EvaluationFixtures.example(gold: "airfare", predicted: "airfare", scores: [0.9, 0.1]),
            // Gold <unknown> is the rejection answer, not an unseen class.
            EvaluationFixtures.example(gold: LabelSet.unknownLabel, predicted: LabelSet.unknownLabel, scores: [0.5, 0.5]),
        ]
        let report = Evaluator.evaluate(classNames: ["airfare", "flight"], examples: examples)
        #expect(report.unseenGoldLabels == ["ground_service": 1, "flight+ground_service": 1])
        #expect(report.unseenGoldCount == 2)
        #expect(EvaluationFixtures.close(report.accuracy, 3.0 / 5))
        let unseen = try #require(EvaluationFixtures.row(report, "ground_service"))
        #expect(!unseen.inModel && unseen.support == 1 && unseen.recall == 0)
        #expect(EvaluationFixtures.row(report, "flight")?.inModel == true)
        #expect(report.renderText().contains("ground_service: 1"))
    }

    @Test("empty input gives zeros, no NaN, and still encodes and renders")
    func emptyInput() throws {
        let report = Evaluator.evaluate(classNames: ["A", "B"], examples: [], oodConfidences: [])
        #expect(report.exampleCount == 0)
        #expect(report.accuracy == 0 && report.macroF1 == 0 && report.weightedF1 == 0 && report.ece == 0)
        #expect(report.rocAUCMacro == nil)
        #expect(report.rocAUCSkipped == ["A", "B"])
        #expect(report.lift.isEmpty && report.perIntent.isEmpty && report.confusion.labels.isEmpty)
        #expect(report.reliabilityBins.count == 10)
        #expect(report.ood?.auroc == nil && report.ood?.count == 0)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(!json.lowercased().contains("nan"))
        #expect(!report.renderText().isEmpty)
        #expect(HTMLReport.render(report: report, title: "t", modelDescription: "d").contains("</html>"))
    }

    @Test("non-positive eceBins falls back to one bin instead of trapping")
    func degenerateBinCount() {
        let report = Evaluator.evaluate(
            classNames: ["A"], examples: [EvaluationFixtures.example(gold: "A", predicted: "A", confidence: 0.8)], eceBins: 0)
        #expect(report.reliabilityBins.count == 1)
        #expect(EvaluationFixtures.close(report.ece, 0.2))
    }
}
