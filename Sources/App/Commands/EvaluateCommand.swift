import ArgumentParser
import Foundation
import IntentSupport
import IntentML
import IntentReports

/// `intent evaluate`: measures a model bundle on labelled data, as text, JSON and an HTML report.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a model bundle on labelled data.",
        discussion: """
            Accuracy is exact label-set match (airfare+flight equals flight+airfare); exact string match is \
            reported beside it. With --ood, out-of-domain detection is measured too. With --min-accuracy, \
            exits 3 when accuracy is below it (a release gate).
            """)

    @Option(help: "Model bundle directory.")
    var model = "models/default"

    @Option(help: "Labelled test data (TSV, CSV or JSONL). Default: the built-in hold-out sentences (never trained on), out-of-domain ones included.")
    var data: String?

    @Option(help: "Out-of-domain sentences (labels ignored) for AUROC and rejection rate.")
    var ood: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: "Also write a self-contained HTML report to this file.")
    var report: String?

    @Option(help: "Override the model's <unknown> threshold (0...1).")
    var threshold: Float?

    @Option(help: "Exit with status 3 when accuracy is below this value (0...1).")
    var minAccuracy: Double?

    @OptionGroup var dataOptions: DataOptions

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if let threshold, !(threshold >= 0 && threshold <= 1) { throw ValidationError("--threshold must be in 0...1.") }
        if let minAccuracy, !(minAccuracy >= 0 && minAccuracy <= 1) { throw ValidationError("--min-accuracy must be in 0...1.") }
    }

    func run() async throws {
        let bundle = try ModelBundle.load(from: model)
        var classifier = bundle.classifier
        if let threshold { classifier.unknownThreshold = threshold }
        let examples: [LabeledExample]
        // Without --data, the built-in hold-out sentences (out-of-domain ones included), which no built-in
        // model was trained on.
        if let data { examples = try dataOptions.examples(at: data) } else { examples = DefaultDataset.holdoutExamples() }
        var oodConfidences: [Float]?
        if let ood {
            let texts = try TrainingSource.outOfDomainExamples(at: ood, options: dataOptions).map(\.text)
            oodConfidences = classifier.confidences(texts)
        }
        let result = Evaluator.evaluate(
            classNames: classifier.labels.classes, examples: classifier.scoredExamples(examples), oodConfidences: oodConfidences,
            threshold: classifier.unknownThreshold)

        switch format {
        case .text: print(result.renderText())
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
        if let report {
            let description = "\(bundle.manifest.name) v\(bundle.manifest.version) (\(bundle.manifest.modelKind)) on \(data ?? "the built-in hold-out sentences")"
            let html = HTMLReport.render(report: result, title: "IntentOps evaluation: \(bundle.manifest.name)", modelDescription: description)
            try AtomicFile.write(Data(html.utf8), to: report)
            printError("wrote \(report)")
        }
        if let minAccuracy, result.accuracy < minAccuracy {
            printError(String(format: "quality gate failed: accuracy %.4f is below --min-accuracy %.4f", result.accuracy, minAccuracy))
            throw ExitCode(3)
        }
    }
}
