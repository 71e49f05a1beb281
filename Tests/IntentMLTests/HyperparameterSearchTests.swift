import Foundation
import Testing
@testable import IntentML
@testable import IntentReports

@Suite("Hyperparameter search")
struct HyperparameterSearchTests {
    static let space = #"{"learning_rate": {"log_uniform": [0.1, 1.0]}, "dimension": {"choice": [8, 16]}, "epochs": {"int_uniform": [6, 12]}, "feature_weighting": {"uniform": [0, 8]}}"#

    static func run(seed: UInt64, parallel: Int) throws -> [HyperparameterSearch.Trial] {
        let spaceValue = try SearchSpace(data: Data(space.utf8), kind: "ngram", path: "space.json")
        var base = Hyperparameters()
        base.dimension = 8
        base.epochs = 9
        let (fit, validation) = DatasetSplit.stratified(DefaultDataset.examples(), validationFraction: 0.2, seed: 3)
        return try HyperparameterSearch(base: .ngram(base), space: spaceValue, trials: 9, seed: seed, parallel: parallel)
            .run(fit: fit, validation: validation)
    }

    /// What must repeat: values, epochs and accuracies (not the wall time).
    static func signature(_ trials: [HyperparameterSearch.Trial]) -> [String] {
        trials.map { trial in
            "\(trial.number) \(trial.values.sorted { $0.key < $1.key }) \(trial.rungs.map { "\($0.epochs):\($0.validationAccuracy)" }) \(trial.failure ?? "")"
        }
    }

    @Test("the same seed gives the same trials in the same order with the same results, whatever --parallel")
    func reproducible() throws {
        let first = try Self.run(seed: 5, parallel: 1)
        let second = try Self.run(seed: 5, parallel: 2)
        let other = try Self.run(seed: 6, parallel: 1)
        #expect(Self.signature(first) == Self.signature(second))
        #expect(Self.signature(first) != Self.signature(other))
        // Successive halving: everyone runs rung 1, a third (plus the defaults) rung 2, fewer still rung 3.
        let reached = (1...3).map { rung in first.filter { $0.rungs.count >= rung }.count }
        #expect(reached[0] == 9 && reached[1] <= 4 && reached[2] <= reached[1])
        #expect(first[0].values.isEmpty && first[0].rungs.count == 3, "trial 0 is the defaults and runs every rung")
        let best = try #require(HyperparameterSearch.best(of: first))
        #expect(first.allSatisfy { $0.rungs.count < 3 || $0.rungs[2].validationAccuracy <= best.rungs[2].validationAccuracy })
        for trial in first.dropFirst() {
            let rate = try #require(Double(trial.values["learning_rate"] ?? ""))
            #expect(rate >= 0.1 && rate <= 1.0)
            #expect(["8", "16"].contains(trial.values["dimension"] ?? ""))
        }
    }

    @Test("the study page: one line per drawn trial, every parameter an axis, importance by rank correlation, nothing fetched")
    func studyPage() throws {
        let trials = try Self.run(seed: 5, parallel: 1)
        let space = try SearchSpace(data: Data(Self.space.utf8), kind: "ngram", path: "space.json")
        let best = HyperparameterSearch.best(of: trials)?.number
        let page = TuningReport.render(space: space, trials: trials, best: best, title: "study <5>")
        #expect(page.components(separatedBy: "<polyline").count - 1 == trials.filter { $0.number > 0 && $0.failure == nil }.count)
        for name in ["learning_rate", "dimension", "epochs", "feature_weighting", "accuracy (rung 1)"] { #expect(page.contains(">\(name)<")) }
        #expect(page.contains("study &lt;5&gt;") && !page.contains("<script") && !page.contains("src="))
        #expect(abs(TuningReport.spearman([1, 2, 3, 4], [10, 20, 30, 40]) - 1) < 1e-12)
        #expect(abs(TuningReport.spearman([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12)
        #expect(abs(TuningReport.spearman([1, 1, 2, 2], [1, 2, 3, 4]) - 0.894427191) < 1e-6, "ties get average ranks")
        #expect(TuningReport.spearman([1, 1, 1], [1, 2, 3]) == 0)
    }

    @Test("a space naming an unknown hyperparameter or a bad range is refused with the name", arguments: [
        (#"{"hidden_size": {"choice": [8]}}"#, "hidden_size"),
        (#"{"dimension": {"uniform": [9, 1]}}"#, "low <= high"),
        (#"{"learning_rate": {"log_uniform": [0, 1]}}"#, "low > 0"),
        (#"{"dimension": {"normal": [1, 2]}}"#, "normal"),
        (#"[1, 2]"#, "JSON object"),
    ])
    func refusesBadSpaces(text: String, mentions: String) {
        #expect { try SearchSpace(data: Data(text.utf8), kind: "ngram", path: "space.json") } throws: { error in
            "\(error)".contains(mentions) && "\(error)".contains("space.json")
        }
    }

    @Test("a drawn setting that is invalid fails its trial, not the study")
    func invalidDraws() throws {
        let space = try SearchSpace(data: Data(#"{"dimension": {"int_uniform": [-5, -1]}}"#.utf8), kind: "ngram", path: "s")
        let (fit, validation) = DatasetSplit.stratified(DefaultDataset.examples(), validationFraction: 0.2, seed: 3)
        var base = Hyperparameters()
        base.epochs = 3
        let trials = try HyperparameterSearch(base: .ngram(base), space: space, trials: 3, seed: 1, parallel: 1).run(fit: fit, validation: validation)
        #expect(trials[1].failure?.contains("dimension") == true && trials[2].failure != nil)
        #expect(HyperparameterSearch.best(of: trials)?.number == 0)
    }
}
