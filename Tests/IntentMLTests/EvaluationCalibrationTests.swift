import Testing
@testable import IntentML

@Suite("Evaluation: expected calibration error and lift")
struct EvaluationCalibrationTests {
    /// Two bins, [0, 0.5) and [0.5, 1]:
    ///   bin 0: confidences 0.2 (wrong), 0.4 (right)            -> n 2, mean 0.3, accuracy 0.5,  gap 0.2
    ///   bin 1: confidences 0.6 (right), 0.8 (right), 1.0 (wrong) -> n 3, mean 0.8, accuracy 2/3, gap 2/15
    /// ECE = 2/5 * 0.2 + 3/5 * 2/15 = 0.08 + 0.08 = 0.16
    @Test("ECE and reliability bins on a hand-worked example")
    func handWorkedECE() throws {
        let cases: [(Float, Bool)] = [(0.2, false), (0.4, true), (0.6, true), (0.8, true), (1.0, false)]
        let examples = cases.map { confidence, right in
            EvaluationFixtures.example(gold: "a", predicted: right ? "a" : "b", confidence: confidence)
        }
        let report = Evaluator.evaluate(classNames: ["a", "b"], examples: examples, eceBins: 2)
        #expect(EvaluationFixtures.close(report.ece, 0.16))
        #expect(report.reliabilityBins.map(\.count) == [2, 3])
        let low = try #require(report.reliabilityBins.first)
        let high = try #require(report.reliabilityBins.last)
        #expect(EvaluationFixtures.close(low.meanConfidence, 0.3) && EvaluationFixtures.close(low.accuracy, 0.5))
        #expect(EvaluationFixtures.close(high.meanConfidence, 0.8) && EvaluationFixtures.close(high.accuracy, 2.0 / 3))
        #expect(low.lower == 0 && low.upper == 0.5 && high.upper == 1)
    }

    @Test("a perfectly calibrated set has ECE 0; confidence 0.7 lands in [0.7, 0.8) with 10 bins")
    func calibratedAndBinEdges() {
        // Confidence 0.75 in [0.7, 0.8): 3 of 4 right -> accuracy 0.75 = mean confidence.
        let examples = [true, true, true, false].map { right in
            EvaluationFixtures.example(gold: "a", predicted: right ? "a" : "b", confidence: 0.75)
        }
        let report = Evaluator.evaluate(classNames: ["a", "b"], examples: examples)
        #expect(EvaluationFixtures.close(report.ece, 0))
        let edge = Evaluator.evaluate(classNames: ["a"], examples: [EvaluationFixtures.example(gold: "a", predicted: "a", confidence: 0.7)])
        #expect(edge.reliabilityBins[7].count == 1)
    }

    /// 10 examples; by confidence rank (most confident first) right, right, right, wrong, right, then 5 wrong.
    /// Overall accuracy 4/10 = 0.4.
    ///   top 10% (1):  1/1 = 1.0 -> lift 2.5     top 30% (3): 3/3 = 1.0 -> lift 2.5
    ///   top 50% (5):  4/5 = 0.8 -> lift 2.0     top 100% (10): 0.4 -> lift 1.0
    @Test("lift by decile on a hand-worked ranking, independent of data order")
    func handWorkedLift() throws {
        let rightByRank = [true, true, true, false, true, false, false, false, false, false]
        var examples = rightByRank.enumerated().map { rank, right in
            EvaluationFixtures.example(gold: "a", predicted: right ? "a" : "b", confidence: 0.95 - Float(rank) * 0.1)
        }
        examples.reverse() // sorting by confidence must undo this
        let report = Evaluator.evaluate(classNames: ["a", "b"], examples: examples)
        #expect(report.lift.count == 10)
        #expect(report.lift.map(\.count) == Array(1...10))
        let accuracies = report.lift.map(\.accuracy)
        #expect(EvaluationFixtures.close(accuracies[0], 1) && EvaluationFixtures.close(accuracies[2], 1))
        #expect(EvaluationFixtures.close(accuracies[3], 0.75) && EvaluationFixtures.close(accuracies[4], 0.8))
        #expect(EvaluationFixtures.close(report.lift[0].lift, 2.5))
        #expect(EvaluationFixtures.close(report.lift[4].lift, 2.0))
        #expect(EvaluationFixtures.close(report.lift[9].lift, 1.0))
        #expect(EvaluationFixtures.close(report.lift[0].meanConfidence, 0.95))
    }

    @Test("lift is omitted, not infinite, when nothing is right; deciles round up on small sets")
    func liftWithZeroAccuracy() {
        let examples = (0..<3).map { _ in EvaluationFixtures.example(gold: "a", predicted: "b") }
        let report = Evaluator.evaluate(classNames: ["a", "b"], examples: examples)
        #expect(report.lift.allSatisfy { $0.lift == nil })
        // 3 examples: ceil(0.3) = 1, ceil(0.6) = 1, ceil(0.9) = 1, ceil(1.2) = 2, ... ceil(3.0) = 3.
        #expect(report.lift.map(\.count) == [1, 1, 1, 2, 2, 2, 3, 3, 3, 3])
    }
}
