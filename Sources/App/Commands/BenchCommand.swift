import ArgumentParser
import Foundation
import IntentML

/// `intent bench`: in-process latency of single-sentence prediction, for the benchmark scripts.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure single-sentence prediction latency in process (prints JSON).",
        discussion: "Each sentence of --data is predicted alone, --rounds times; the median and p99 are over all calls.")

    @Option(help: "Model bundle directory.")
    var model = "models/default"

    @Option(help: "Sentences to predict (any supported format; labels ignored). Default: the built-in dataset.")
    var data: String?

    @Option(help: "Passes over the sentences.")
    var rounds = 20

    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let classifier = try ModelBundle.load(from: model).classifier
        let texts: [String]
        if let data {
            texts = try TrainingSource.outOfDomainExamples(at: data, options: dataOptions).map(\.text)
        } else {
            texts = DefaultDataset.examples().map(\.text)
        }
        guard !texts.isEmpty else { throw ValidationError("no sentences to measure in \(data ?? "the built-in dataset").") }
        var scratch = IntentClassifier.Scratch()
        var checksum: Float = 0
        // Warm-up pass: first-touch page faults and caches are not what a serving process sees.
        for text in texts { checksum += classifier.predict(text, topK: 1, scratch: &scratch).confidence }
        var samples: [Double] = []
        samples.reserveCapacity(texts.count * rounds)
        let clock = ContinuousClock()
        for _ in 0..<max(1, rounds) {
            for text in texts {
                let start = clock.now
                let prediction = classifier.predict(text, topK: 1, scratch: &scratch)
                let elapsed = clock.now - start
                checksum += prediction.confidence
                samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
            }
        }
        samples.sort()
        func percentile(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * p))] }
        let mean = samples.reduce(0, +) / Double(samples.count)
        print(String(format: #"{"calls": %d, "median_us": %.2f, "p99_us": %.2f, "mean_us": %.2f, "checksum": %.3f}"#,
                     samples.count, percentile(0.5), percentile(0.99), mean, checksum))
    }
}
