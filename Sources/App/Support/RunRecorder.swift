import Foundation
import IntentSupport
import IntentML
import IntentReports
import MLflowTracking

/// The local runs registry: every `intent train` and `intent tune` gets a directory under the runs root
/// (`runs/` unless `--runs-dir` or `INTENT_RUNS_DIR` says otherwise) holding
///
/// - `run.json`: the command, model kind, hyperparameters, seed, threads, data sources and sha256, start time
/// - `epochs.jsonl`: one line per epoch of the final training (loss, learning rate; the LSTM adds its
///   validation loss and accuracy)
/// - `metrics.json`: the final figures (validation accuracy, training seconds, ...)
/// - `model/`: the bundle, and `report.html`: the evaluation of the model on its validation part
///
/// Every file is written atomically; `intent runs list` and `intent runs compare` read them back.
struct RunRecorder {
    static let runFile = "run.json", epochsFile = "epochs.jsonl", metricsFile = "metrics.json"
    static let modelDirectory = "model", reportFile = "report.html"

    let directory: URL
    var id: String { directory.lastPathComponent }

    /// Makes a new run directory under `root`: `YYYYMMDD-HHMMSS-<kind>-<4 hex>`, sortable by start time.
    static func start(root: String, kind: String, started: Date = Date()) throws -> RunRecorder {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        var generator = SystemRandomNumberGenerator()
        let suffix = String(format: "%04x", Int(generator.next() as UInt16))
        let directory = URL(fileURLWithPath: root).appendingPathComponent("\(formatter.string(from: started))-\(kind)-\(suffix)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return RunRecorder(directory: directory)
    }

    func write(json object: Any, to name: String) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try AtomicFile.write(data, to: directory.appendingPathComponent(name).path)
    }

    func write(lines: [[String: Any]], to name: String) throws {
        var text = Data()
        for line in lines {
            text.append(try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes]))
            text.append(0x0A)
        }
        try AtomicFile.write(text, to: directory.appendingPathComponent(name).path)
    }

    /// Records a finished training: its parameters, epochs, metrics, bundle and validation report.
    func record(command: String, bundle: ModelBundle, outcome: TrainingOutcome, epochs: [[String: Any]], started: Date) throws {
        let manifest = bundle.manifest
        let hyperparameters = (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(manifest))) as? [String: Any]
        try write(json: [
            "id": id, "command": command, "model_kind": manifest.modelKind, "started_at": ISO8601DateFormatter().string(from: started),
            "hyperparameters": hyperparameters?["hyperparameters"] ?? [:], "seed": manifest.seed, "threads": manifest.threads,
            "data": ["sources": manifest.trainingData.sources, "sha256": manifest.trainingData.sha256,
                     "examples": manifest.trainingData.examples, "validation_examples": manifest.trainingData.validationExamples],
            "model_version": manifest.version, "tool_version": manifest.toolVersion,
        ], to: Self.runFile)
        try write(lines: epochs, to: Self.epochsFile)
        try write(json: manifest.metrics, to: Self.metricsFile)
        try bundle.write(to: directory.appendingPathComponent(Self.modelDirectory).path)
        if !outcome.validation.isEmpty {
            let result = Evaluator.evaluate(classNames: bundle.classifier.labels.classes, examples: bundle.classifier.scoredExamples(outcome.validation),
                                            oodConfidences: nil)
            let description = "\(manifest.name) v\(manifest.version) (\(manifest.modelKind)) on its validation part"
                + (outcome.refitOnValidation ? " (the model was refit on it afterwards, so these figures are optimistic)" : "")
            let html = HTMLReport.render(report: result, title: "IntentOps run \(id)", modelDescription: description)
            try AtomicFile.write(Data(html.utf8), to: directory.appendingPathComponent(Self.reportFile).path)
        }
    }

    /// Records a finished training under `root` (`none`: not at all). The bundle at --output is what was
    /// asked for, so a registry that cannot be written is a warning, not a failure.
    /// With `MLFLOW_TRACKING_URI` set, the run is then logged to MLflow (through a temporary registry when
    /// `root` is `none`).
    static func record(in root: String, command: String, bundle: ModelBundle, outcome: TrainingOutcome, epochs: EpochLog,
                       started: Date, extraFiles: [String: Data] = [:], tracking: MLflowConfiguration? = nil) async {
        let (root, temporary) = MLflowPublisher.recordingRoot(runsDir: root, tracking: tracking)
        guard root != "none" else { return }
        let run: RunRecorder
        do {
            run = try start(root: root, kind: bundle.manifest.modelKind, started: started)
            try run.record(command: command, bundle: bundle, outcome: outcome, epochs: epochs.lines(merging: outcome.epochs), started: started)
            for (name, data) in extraFiles { try AtomicFile.write(data, to: run.directory.appendingPathComponent(name).path) }
            if !temporary { printError("recorded run \(run.id) in \(root)") }
        } catch {
            printError("warning: could not record the run in \(root): \(error)")
            if temporary { try? FileManager.default.removeItem(atPath: root) }
            return
        }
        if let tracking { await MLflowPublisher.publish(run: run.directory, configuration: tracking, keepsRecord: !temporary) }
        if temporary { try? FileManager.default.removeItem(atPath: root) }
    }

    /// Every run under `root`, oldest first: its id and the decoded run and metrics files.
    static func list(root: String) throws -> [(id: String, run: [String: Any], metrics: [String: Any])] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted().compactMap { name in
            let directory = URL(fileURLWithPath: root).appendingPathComponent(name)
            guard let data = try? Data(contentsOf: directory.appendingPathComponent(runFile)),
                  let run = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
            let metrics = (try? Data(contentsOf: directory.appendingPathComponent(metricsFile)))
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
            return (name, run, metrics)
        }
    }
}
