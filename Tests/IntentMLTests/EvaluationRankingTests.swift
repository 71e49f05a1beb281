import Testing
@testable import IntentML

@Suite("Evaluation: ROC-AUC and out-of-domain detection")
struct EvaluationRankingTests {
    /// Two classes; `bScores[i]` is the score of class `b`, class `a` gets the complement.
    static func twoClassExamples(bScores: [Float], isB: [Bool]) -> [ScoredExample] {
        zip(bScores, isB).map { score, positive in
            EvaluationFixtures.example(gold: positive ? "b" : "a", predicted: score >= 0.5 ? "b" : "a",
                                       confidence: max(score, 1 - score), scores: [1 - score, score])
        }
    }

    @Test("scores [0.1, 0.4, 0.35, 0.8] with labels [0, 0, 1, 1] give AUC 0.75 for both classes")
    func knownAUC() throws {
        // Pairs (positive, negative) for b: 0.35>0.1, 0.35<0.4, 0.8>0.1, 0.8>0.4 -> 3 of 4.
        // For a (scores 0.9, 0.6, 0.65, 0.2; positives the first two): 0.9>0.65, 0.9>0.2, 0.6<0.65, 0.6>0.2 -> 3 of 4.
        let examples = Self.twoClassExamples(bScores: [0.1, 0.4, 0.35, 0.8], isB: [false, false, true, true])
        let report = Evaluator.evaluate(classNames: ["a", "b"], examples: examples)
        #expect(EvaluationFixtures.close(report.rocAUCMacro, 0.75))
        #expect(EvaluationFixtures.close(EvaluationFixtures.row(report, "b")?.rocAUC, 0.75))
        #expect(report.rocCurves.map(\.label) == ["a", "b"])
        #expect(report.rocAUCSkipped.isEmpty)
    }

    @Test("perfect ranking gives 1, reversed ranking 0")
    func perfectAndReversed() {
        #expect(RankStatistics.areaUnderCurve(positives: [0.6, 0.9], negatives: [0.1, 0.5]) == 1)
        #expect(RankStatistics.areaUnderCurve(positives: [0.1, 0.5], negatives: [0.6, 0.9]) == 0)
    }

    @Test("ties count half", arguments: [
        // All equal: every pair is a tie -> 0.5.
        ([0.5, 0.5], [0.5, 0.5], 0.5),
        // 0.8 beats both (2), 0.5 ties 0.5 (0.5) and beats 0.2 (1) -> 3.5 / 4.
        ([0.8, 0.5], [0.5, 0.2], 0.875),
        // One pair, tied -> 0.5.
        ([0.3], [0.3], 0.5),
    ])
    func ties(positives: [Double], negatives: [Double], expected: Double) {
        #expect(EvaluationFixtures.close(RankStatistics.areaUnderCurve(positives: positives, negatives: negatives), expected))
    }

    @Test("the ROC curve's trapezoid area equals the rank AUC, ties included")
    func curveAreaMatchesRankAUC() {
        let scores: [Double] = [0.9, 0.8, 0.8, 0.7, 0.5, 0.5, 0.5, 0.2, 0.1]
        let isPositive = [true, false, true, true, false, true, false, false, true]
        let points = RankStatistics.curve(scores: scores, isPositive: isPositive)
        let positives = zip(scores, isPositive).filter { $0.1 }.map(\.0)
        let negatives = zip(scores, isPositive).filter { !$0.1 }.map(\.0)
        #expect(points.first == ROCCurve.Point(fpr: 0, tpr: 0))
        #expect(points.last == ROCCurve.Point(fpr: 1, tpr: 1))
        #expect(points.count == 7) // (0,0) plus one point per distinct score
        let auc = RankStatistics.areaUnderCurve(positives: positives, negatives: negatives)
        #expect(EvaluationFixtures.close(RankStatistics.trapezoidArea(points), auc ?? -1, tolerance: 1e-12))
    }

    @Test("curves are downsampled to at most 50 points and keep both ends")
    func downsampling() throws {
        var generator = SplitMix64(seed: 7)
        let count = 400
        let bScores = (0..<count).map { _ in Float(generator.next() % 10_000) / 10_000 }
        let isB = (0..<count).map { $0 % 3 == 0 }
        let report = Evaluator.evaluate(classNames: ["a", "b"], examples: Self.twoClassExamples(bScores: bScores, isB: isB))
        let curve = try #require(report.rocCurves.first { $0.label == "b" })
        #expect(curve.points.count <= Evaluator.maxROCPointsPerClass && curve.points.count > 10)
        #expect(curve.points.first == ROCCurve.Point(fpr: 0, tpr: 0))
        #expect(curve.points.last == ROCCurve.Point(fpr: 1, tpr: 1))
        #expect(zip(curve.points, curve.points.dropFirst()).allSatisfy { $0.fpr <= $1.fpr && $0.tpr <= $1.tpr })
    }

    @Test("classes without positives are skipped and recorded; wrong-length score vectors are left out")
    func skippedClassesAndBadScores() {
        var examples = Self.twoClassExamples(bScores: [0.2, 0.9], isB: [false, true]).map { example -> ScoredExample in
            var copy = example
            copy.scores.append(0)
            return copy
        }
        examples.append(EvaluationFixtures.example(gold: "a", predicted: "a", scores: [1]))
        let report = Evaluator.evaluate(classNames: ["a", "b", "c"], examples: examples)
        #expect(report.rocAUCSkipped == ["c"])
        #expect(report.rocExcludedExamples == 1)
        #expect(report.rocCurves.map(\.label) == ["a", "b"])
        #expect(EvaluationFixtures.close(report.rocAUCMacro, 1))
    }

    /// 20 in-domain confidences 0.05, 0.10, ... 1.00 (plus one gold-<unknown> example that must be ignored)
    /// against out-of-domain confidences [0.02, 0.08, 0.10, 0.5].
    ///
    /// AUROC: in-domain above each OOD value (ties half): 0.02 -> 20, 0.08 -> 19, 0.10 -> 18 + 0.5,
    /// 0.5 -> 10 + 0.5; total 68 of 20 * 4 = 80 pairs -> 0.85.
    /// Keeping 95% of 20 = 19 examples: the 19th largest is 0.10, so the threshold is 0.10; OOD strictly below it
    /// are 0.02 and 0.08 -> rejected 2 / 4 = 0.5 (0.10 itself is kept).
    @Test("OOD AUROC, threshold and rejection at 95% in-domain kept, hand-worked")
    func outOfDomain() throws {
        var examples = (1...20).map { step in
            EvaluationFixtures.example(gold: "flight", predicted: "flight", confidence: Float(step) / 20)
        }
        examples.append(EvaluationFixtures.example(
            gold: LabelSet.unknownLabel, predicted: LabelSet.unknownLabel, confidence: 0.01))
        let report = Evaluator.evaluate(classNames: ["flight"], examples: examples, oodConfidences: [0.02, 0.08, 0.10, 0.5])
        let ood = try #require(report.ood)
        #expect(ood.count == 4 && ood.inDomainCount == 20)
        #expect(EvaluationFixtures.close(ood.auroc, 0.85))
        #expect(EvaluationFixtures.close(ood.thresholdAt95Kept, 0.10))
        #expect(EvaluationFixtures.close(ood.inDomainKeptAt95, 0.95))
        #expect(EvaluationFixtures.close(ood.rejectedAt95Kept, 0.5))
    }

    @Test("no OOD data means no ood section")
    func noOutOfDomain() {
        let report = Evaluator.evaluate(classNames: ["a"], examples: [EvaluationFixtures.example(gold: "a", predicted: "a")])
        #expect(report.ood == nil)
    }
}
