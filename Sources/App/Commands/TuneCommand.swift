import ArgumentParser
import Foundation
import IntentSupport
import IntentML
import IntentReports

/// `intent tune`: seeded random search with successive halving; the best setting is trained like
/// `intent train` would and saved as a bundle.
struct TuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Search hyperparameters on validation data and save the best model.",
        discussion: """
            Trial 0 is the model kind's defaults; trials 1... are drawn from --space. Every trial trains on \
            the training part and is scored by its accuracy on the validation part (--valid, or a stratified \
            share of --data). Successive halving trains all trials on a ninth of their epochs, the best third \
            on a third, and the best third of those on all of them. The same --seed gives the same trials and \
            results. Writes DIR/study.json (every trial), DIR/study.html (parallel coordinates and parameter \
            importance) and DIR/model (the best setting, trained on all the data).
            """)

    @OptionGroup var inputs: TrainingInputOptions

    @Option(help: "Search space JSON: {\"name\": {\"uniform\"|\"log_uniform\"|\"int_uniform\": [low, high]} or {\"choice\": [...]}}.")
    var space: String

    @Option(help: "Trials, the defaults (trial 0) included.")
    var trials = 32

    @Option(help: "Trials trained at once (each on one thread).")
    var parallel = 2

    @Option(help: "Study seed: trials, splits and training all follow from it.")
    var seed: UInt64 = 42

    @Option(help: "Directory for study.json and the best model (model/).")
    var output = "tuning"

    @Option(help: "Runs registry: the study is recorded here like a training run, with study.json beside it ('none' to skip).")
    var runsDir = "runs"

    @OptionGroup var dataOptions: DataOptions

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        guard (1...10_000).contains(trials) else { throw ValidationError("--trials must be in 1...10000, got \(trials).") }
        guard (1...256).contains(parallel) else { throw ValidationError("--parallel must be in 1...256, got \(parallel).") }
    }

    func run() async throws {
        let tracking = try MLflowPublisher.configuration()
        let spaceData: Data
        do { spaceData = try Data(contentsOf: URL(fileURLWithPath: space)) } catch {
            throw ValidationError("cannot read --space \(space): \(error.localizedDescription)")
        }
        let started = Date()
        let source = try inputs.load(options: dataOptions)
        let (searchSpace, modelKind) = try inputs.resolveKind(for: source, file: ("--space", space)) { kind in
            try SearchSpace(data: spaceData, kind: kind, path: space)
        }
        let base = try TrainingInputOptions.defaults(kind: modelKind, labelSeparator: dataOptions.labelSeparator)
        let (fit, validation): ([LabeledExample], [LabeledExample])
        if let explicit = source.validation {
            (fit, validation) = (source.train, explicit)
        } else {
            (fit, validation) = DatasetSplit.stratified(source.train, validationFraction: max(0.1, base.validationFraction), seed: seed)
        }
        let progress = TerminalProgress(quiet: quiet)
        let search = HyperparameterSearch(base: base, space: searchSpace, trials: trials, seed: seed, parallel: parallel)
        let studied = try search.run(fit: fit, validation: validation) { rung, done, count in
            progress.update(fraction: (Double(rung) + Double(done) / Double(max(1, count))) / Double(search.rungs),
                            label: "rung \(rung + 1)/\(search.rungs): \(done)/\(count) trials")
        }
        progress.finish()
        guard let best = HyperparameterSearch.best(of: studied) else {
            throw ValidationError("no trial could be trained: every drawn setting was invalid (see \(output)/study.json).")
        }
        let searchSeconds = Date().timeIntervalSince(started)
        printTable(studied, best: best)

        // The winner, trained as `intent train` trains (validation split, calibration, refit).
        let settings = try base.overriding(best.values)
        let epochLog = EpochLog()
        let threads = modelKind == ModelManifest.ngramKind ? 1 : 2
        let outcome = try TrainingPipeline(model: settings, seed: seed, threads: threads, calibration: inputs.calibrationRule)
            .run(train: source.train, validation: source.validation) { epochLog.record($0) }
        var metrics: [String: Double] = ["tuning_seconds": (searchSeconds * 1000).rounded() / 1000, "tuning_trials": Double(studied.count)]
        if let accuracy = best.rungs.last?.validationAccuracy { metrics["tuning_best_validation_accuracy"] = accuracy }
        if let accuracy = outcome.validationAccuracy { metrics["validation_accuracy"] = accuracy }
        let bundle = ModelBundle(
            classifier: outcome.classifier, name: "tuned", toolVersion: ToolVersion.current, seed: seed, threads: threads,
            trainingData: .init(sha256: source.fingerprint, sources: source.sources, examples: outcome.trainingCount,
                                validationExamples: outcome.validationCount, outOfDomainExamples: outcome.outOfDomainCount),
            metrics: metrics)
        let directory = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try bundle.write(to: directory.appendingPathComponent("model").path)
        let study = try studyJSON(studied, best: best, seconds: searchSeconds, modelKind: modelKind)
        try AtomicFile.write(study, to: directory.appendingPathComponent("study.json").path)
        let page = Data(TuningReport.render(space: searchSpace, trials: studied, best: best.number,
                                            title: "IntentOps tuning study: \(modelKind), \(studied.count) trials, seed \(seed)").utf8)
        try AtomicFile.write(page, to: directory.appendingPathComponent("study.html").path)
        await RunRecorder.record(in: runsDir, command: "tune", bundle: bundle, outcome: outcome, epochs: epochLog, started: started,
                           extraFiles: ["study.json": study, "study.html": page], tracking: tracking)
        let baseline = studied.first { $0.number == 0 }?.rungs.last?.validationAccuracy
        printError(String(format: "tuned %d trials in %.1f s; best trial %d: validation accuracy %.4f (defaults %@) -> %@/model",
                          studied.count, searchSeconds, best.number, best.rungs.last?.validationAccuracy ?? 0,
                          baseline.map { String(format: "%.4f", $0) } ?? "n/a", output))
    }

    private func printTable(_ trials: [HyperparameterSearch.Trial], best: HyperparameterSearch.Trial) {
        print("trial  " + (0..<3).map { "rung\($0 + 1)(epochs) accuracy" }.joined(separator: "  ") + "  values")
        for trial in trials {
            let rungs = trial.rungs.map { String(format: "%4d %8.4f", $0.epochs, $0.validationAccuracy) }
            let values = trial.number == 0 ? "(defaults)" : trial.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let marker = trial.number == best.number ? "*" : " "
            print(String(format: "%4d%@ ", trial.number, marker) + rungs.joined(separator: "  ") + "  " + (trial.failure.map { "failed: \($0)" } ?? values))
        }
    }

    private func studyJSON(_ trials: [HyperparameterSearch.Trial], best: HyperparameterSearch.Trial, seconds: Double, modelKind: String) throws -> Data {
        let object: [String: Any] = [
            "model_kind": modelKind, "seed": seed, "trials_requested": trials.count, "seconds": seconds, "best_trial": best.number,
            "trials": trials.map { trial -> [String: Any] in
                var entry: [String: Any] = [
                    "trial": trial.number,
                    "values": trial.values.mapValues { (try? JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed])) ?? $0 },
                    "rungs": trial.rungs.map { ["epochs": $0.epochs, "validation_accuracy": $0.validationAccuracy, "seconds": $0.seconds] },
                ]
                if let failure = trial.failure { entry["failure"] = failure }
                return entry
            },
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}
