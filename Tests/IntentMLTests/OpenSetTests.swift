import Foundation
import Testing
@testable import IntentML

/// Closed-set data is scored as closed set; open set only when there is out-of-scope data.
@Suite("Closed and open set")
struct OpenSetTests {
    typealias F = EvaluationFixtures

    @Test("auto calibration: no threshold without out-of-domain data, the keep-rate/max-accuracy rule with it")
    func autoRule() {
        let inDomain = (0..<200).map { ThresholdCalibration.Observation(confidence: Float($0) / 200 + 0.3, correct: $0 % 10 != 0) }
        #expect(ThresholdCalibration.threshold(rule: .auto, inDomain: inDomain, outOfDomain: [], keepRate: 0.9) == 0)
        let withOOD = ThresholdCalibration.threshold(rule: .auto, inDomain: inDomain, outOfDomain: [0.1, 0.2, 0.35], keepRate: 0.9)
        // Keep-rate alone would reject below 0.405 (18 of the 180 right answers); max-accuracy rejects below
        // 0.3 (every right answer kept, 0.1 and 0.2 rejected: 182 right), the lower of the two.
        #expect(ThresholdCalibration.threshold(rule: .keepRate, inDomain: inDomain, outOfDomain: [], keepRate: 0.9) == Float(21) / 200 + 0.3)
        #expect(withOOD == 0.3)
        // keep-rate applies without out-of-domain data; none never rejects.
        #expect(ThresholdCalibration.threshold(rule: .keepRate, inDomain: inDomain, outOfDomain: [], keepRate: 0.9) > 0.3)
        #expect(ThresholdCalibration.threshold(rule: .none, inDomain: inDomain, outOfDomain: [0.1], keepRate: 0.9) == 0)
    }

    @Test("ood-recall=X rejects at least X of the out-of-domain validation sentences, and no more than it must", arguments: [0.5, 0.8, 1.0] as [Float])
    func oodRecall(target: Float) {
        let outOfDomain: [Float] = (0..<40).map { Float($0) / 50 }
        let threshold = ThresholdCalibration.threshold(rule: .oodRecall(target), inDomain: [], outOfDomain: outOfDomain, keepRate: 0.99)
        let rejected = outOfDomain.filter { $0 < threshold }.count
        #expect(Float(rejected) / 40 >= target)
        #expect(rejected == Int((Float(40) * target).rounded(.up)))
    }

    @Test("rules parse from their spelling and refuse anything else")
    func parsing() {
        #expect(CalibrationRule("ood-recall=0.9") == .oodRecall(0.9))
        #expect(CalibrationRule("max-accuracy") == .maxAccuracy && CalibrationRule("keep-rate") == .keepRate)
        for bad in ["ood-recall=0", "ood-recall=1.5", "ood-recall=", "maximum", ""] { #expect(CalibrationRule(bad) == nil, "\(bad)") }
    }

    @Test("a closed-set file with some sentences rejected: macro-F1 over the known intents only, and the closed-set view answers the most likely intent")
    func closedSetMacroF1() {
        let classes = ["a", "b"]
        var examples = F.examples(8, gold: "a", predicted: "a") + F.examples(8, gold: "b", predicted: "b")
        // Two rejected sentences whose most likely intent was right.
        examples.append(F.example(gold: "a", predicted: LabelSet.unknownLabel, confidence: 0.3, scores: [0.6, 0.4]))
        examples.append(F.example(gold: "b", predicted: LabelSet.unknownLabel, confidence: 0.3, scores: [0.45, 0.55]))
        let report = Evaluator.evaluate(classNames: classes, examples: examples)
        // Averaged over a and b: each has recall 8/9, precision 1.
        let perClass = 2 * (8.0 / 9.0) / (1 + 8.0 / 9.0)
        #expect(F.close(report.macroF1, perClass), "macro-F1 \(report.macroF1)")
        #expect(report.scopes?.closedSetAccuracy == 1)
        #expect(F.close(report.scopes?.closedSetMacroF1, 1))
        #expect(report.scopes?.outOfScopeCount == 0 && report.scopes?.outOfScopeRecall == nil)
    }

    @Test("with out-of-scope rows: in-scope accuracy, out-of-scope recall and precision at the model's threshold")
    func openSet() {
        var examples = F.examples(9, gold: "a", predicted: "a")
        examples.append(F.example(gold: "a", predicted: LabelSet.unknownLabel, confidence: 0.2, scores: [0.2]))
        examples += F.examples(3, gold: LabelSet.unknownLabel, predicted: LabelSet.unknownLabel)
        examples += F.examples(1, gold: LabelSet.unknownLabel, predicted: "a")
        // Four more out-of-domain sentences from --ood: two below the threshold 0.5.
        let report = Evaluator.evaluate(classNames: ["a"], examples: examples, oodConfidences: [0.1, 0.4, 0.6, 0.9], threshold: 0.5)
        let scopes = report.scopes
        #expect(scopes?.inScopeCount == 10 && scopes?.outOfScopeCount == 8)
        #expect(F.close(scopes?.inScopeAccuracy, 0.9))
        #expect(F.close(scopes?.outOfScopeRecall, 5.0 / 8.0))
        #expect(F.close(scopes?.outOfScopePrecision, 5.0 / 6.0))
    }

    @Test("one intent, or no intent with two examples, is refused before training; single-example intents are reported")
    func tooFewClasses() throws {
        let one = (0..<5).map { LabeledExample(text: "hello \($0)", label: "greet") }
        #expect(throws: TrainingError.oneClass("greet")) { try TrainingPipeline(hyperparameters: Hyperparameters()).run(train: one) }
        // A single row, or only singletons: nothing to learn from and check on.
        #expect(throws: TrainingError.tooFewExamples(["greet": 1, "leave": 1])) {
            try TrainingPipeline(hyperparameters: Hyperparameters()).run(train: [one[0], LabeledExample(text: "bye", label: "leave")])
        }
        // One singleton among real intents trains, and is reported.
        let single = one + [LabeledExample(text: "bye", label: "leave")]
        #expect(try TrainingPipeline.checkClasses(single) == ["leave": 1])
        #expect(TrainingPipeline.unseenValidationLabels(train: one, validation: [LabeledExample(text: "x", label: "other")]) == ["other": 1])
    }
}
