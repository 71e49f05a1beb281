import ArgumentParser
import Foundation
import IntentML

/// `intent train`: trains a model bundle from a labelled data file (or the built-in dataset).
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an intent classifier and write it as a model bundle.",
        discussion: """
            With no --data, trains on the built-in multilingual demo dataset. A stratified share of the data \
            (validation_fraction) is held out to calibrate the <unknown> threshold, then the model is refit \
            on all of it. Out-of-domain sentences (--ood) teach the model what to reject. With \
            MLFLOW_TRACKING_URI set, the run is also logged to that MLflow server (see `intent runs push --help`).
            """)

    @OptionGroup var inputs: TrainingInputOptions

    @Option(help: "Hyperparameters JSON for the model kind; fields not given keep their defaults (docs/model.md).")
    var config: String?

    @Option(help: "Random seed: the same seed, data and --threads 1 give the same model bit for bit.")
    var seed: UInt64 = 42

    @Option(help: "Training threads; ngram: more than 1 is faster but not bit-reproducible; lstm-attention and ensemble: up to 2 help, same weights either way.")
    var threads = 1

    @Option(help: "Directory to write the model bundle to (replaced atomically).")
    var output = "models/default"

    @Option(help: "Model name recorded in the manifest (default: the output directory's name).")
    var name: String?

    @Option(help: "Runs registry: each training gets a directory here with its parameters, epochs, metrics, bundle and validation report ('none' to skip).")
    var runsDir = "runs"

    @OptionGroup var dataOptions: DataOptions

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be in 1...256, got \(threads).") }
    }

    func run() async throws {
        let tracking = try MLflowPublisher.configuration()
        let started = Date()
        let source = try inputs.load(options: dataOptions)
        let hyperparameters = try inputs.hyperparameters(for: source, config: config, labelSeparator: dataOptions.labelSeparator)
        let progress = TerminalProgress(quiet: quiet)
        let epochLog = EpochLog()
        let rule = inputs.calibrationRule
        let hasOutOfDomain = source.train.contains { $0.labels.isUnknown } || (source.validation ?? []).contains { $0.labels.isUnknown }
        if rule.needsOutOfDomain, !hasOutOfDomain {
            throw ValidationError("--calibration \(rule) needs out-of-domain sentences: pass --ood FILE, or --unknown-label NAME for the dataset's own out-of-scope label.")
        }
        let single = try TrainingPipeline.checkClasses(source.train)
        if !single.isEmpty {
            let listed = single.keys.sorted().prefix(10).joined(separator: ", ")
            printError("warning: \(single.count) intent(s) have a single example and cannot be validated: \(listed)\(single.count > 10 ? ", ..." : "")")
        }
        if let validation = source.validation {
            let unseen = TrainingPipeline.unseenValidationLabels(train: source.train, validation: validation)
            if !unseen.isEmpty {
                let listed = unseen.sorted { $0.key < $1.key }.prefix(10).map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
                printError("warning: --valid has \(unseen.values.reduce(0, +)) examples of labels --data never has, which the model cannot answer: \(listed)")
            }
        }
        let pipeline = TrainingPipeline(model: hyperparameters, seed: seed, threads: threads, calibration: rule)
        let outcome = try pipeline.run(train: source.train, validation: source.validation) { step in
            epochLog.record(step)
            progress.update(fraction: step.fraction, label: "epoch \(step.epoch)/\(step.epochs) loss \(String(format: "%.4f", step.loss))")
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(started)

        var metrics: [String: Double] = ["training_seconds": (seconds * 1000).rounded() / 1000]
        if let accuracy = outcome.validationAccuracy { metrics["validation_accuracy"] = accuracy }
        if let last = outcome.epochs.last {
            metrics["epochs_run"] = Double(last.epoch)
            if let best = outcome.epochs.compactMap(\.validationLoss).min() { metrics["best_validation_loss"] = Double(best) }
        }
        let bundle = ModelBundle(
            classifier: outcome.classifier,
            name: name ?? URL(fileURLWithPath: output).lastPathComponent, toolVersion: ToolVersion.current,
            seed: seed, threads: threads,
            trainingData: .init(
                sha256: source.fingerprint, sources: source.sources, examples: outcome.trainingCount,
                validationExamples: outcome.validationCount, outOfDomainExamples: outcome.outOfDomainCount),
            metrics: metrics)
        try bundle.write(to: output)
        await RunRecorder.record(in: runsDir, command: "train", bundle: bundle, outcome: outcome, epochs: epochLog, started: started, tracking: tracking)

        let classes = outcome.classifier.labels.classes.filter { $0 != LabelSet.unknownLabel }.count
        var summary = "trained \(bundle.manifest.name) v\(bundle.manifest.version): \(outcome.trainingCount) examples, \(classes) intents"
        if let accuracy = outcome.validationAccuracy {
            summary += String(format: ", validation accuracy %.2f%% on %d", accuracy * 100, outcome.validationCount)
        }
        summary += String(format: ", unknown below %.3f, %.2f s -> %@", outcome.classifier.unknownThreshold, seconds, output)
        printError(summary)
    }
}
