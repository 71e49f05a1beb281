import ArgumentParser
import Foundation
import IntentML

/// `intent predict`: batch prediction over a file or standard input, streaming, in input order.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict intents for every sentence of a file (or standard input).",
        discussion: """
            Input: txt (one sentence per line), tsv (text first), csv (header with a text column) or jsonl \
            ({"text": ...}); labels in the input are ignored. Output: one row per input row, in order. Any \
            size streams in constant memory. An output file is written atomically (temp file, then rename).

            A directory as --input predicts every file in it (sorted by name, hidden files skipped) into \
            --output as a directory, one <name>.<format> per file. --shard-index I --shard-count N then take \
            only the files whose position is I modulo N, so N processes (a Kubernetes Indexed Job: \
            --shard-index $(JOB_COMPLETION_INDEX)) split a mounted volume between them, each file done once.
            """)

    @Option(help: "Model bundle directory.")
    var model = "models/default"

    @Option(help: "Input file, - for standard input, or a directory (every file in it).")
    var input: String

    @Option(help: "Output file, - for standard output, or a directory when --input is one.")
    var output = "-"

    @Option(help: "With a directory as --input: this process's shard, 0..<--shard-count.")
    var shardIndex = 0

    @Option(help: "With a directory as --input: how many processes share its files.")
    var shardCount = 1

    @Option(help: "Output format: jsonl, csv or tsv.")
    var format: PredictionFormatter.Format = .jsonl

    @Option(help: "How many alternative intents to list per row.")
    var topK = 1

    @Option(help: ArgumentHelp("Prediction threads (default: all cores).", valueName: "threads"))
    var threads: Int?

    /// `--threads`, or every core.
    var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

    @Option(help: "Override the model's <unknown> threshold (0...1).")
    var threshold: Float?

    @OptionGroup var dataOptions: DataOptions

    func validate() throws {
        guard topK >= 1 && topK <= 100 else { throw ValidationError("--top-k must be in 1...100, got \(topK).") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be in 1...256, got \(threads).") }
        if let threshold, !(threshold >= 0 && threshold <= 1) { throw ValidationError("--threshold must be in 0...1.") }
        guard shardCount >= 1 else { throw ValidationError("--shard-count must be at least 1, got \(shardCount).") }
        guard (0..<shardCount).contains(shardIndex) else {
            throw ValidationError("--shard-index must be in 0..<\(shardCount) (--shard-count), got \(shardIndex).")
        }
    }

    func run() async throws {
        var classifier = try ModelBundle.load(from: model).classifier
        if let threshold { classifier.unknownThreshold = threshold }
        let predictor = BatchPredictor(classifier: classifier, formatter: PredictionFormatter(format: format), topK: topK, threads: threadCount)
        var isDirectory: ObjCBool = false
        if input != "-", FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue {
            try predictDirectory(predictor: predictor)
            return
        }
        guard shardCount == 1 else {
            throw ValidationError("--shard-index and --shard-count split the files of a directory; --input \(input) is not one.")
        }
        try predictFile(input: input, output: output, predictor: predictor)
    }

    /// Every file of the input directory (this shard's share of them) into the output directory.
    func predictDirectory(predictor: BatchPredictor) throws {
        guard output != "-" else { throw ValidationError("--output must be a directory when --input is one (\(input)).") }
        let names = try FileManager.default.contentsOfDirectory(atPath: input).filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: "\(input)/\(name)", isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        for (position, name) in names.enumerated() where position % shardCount == shardIndex {
            let stem = (name as NSString).deletingPathExtension
            try predictFile(input: "\(input)/\(name)", output: "\(output)/\(stem).\(format.rawValue)", predictor: predictor)
        }
    }

    /// One input (a file or standard input) into one output, streaming, in order.
    func predictFile(input: String, output: String, predictor: BatchPredictor) throws {
        var options: DatasetOptions
        if input == "-" && dataOptions.inputFormat == nil {
            options = DatasetOptions(format: .txt)
        } else {
            options = try dataOptions.options(for: input, requireLabels: false)
        }
        options.requireLabels = false
        let formatter = PredictionFormatter(format: format)
        let sink = try OutputSink(path: output)
        do {
            if let header = formatter.header { try sink.write(Array(header.utf8)) }
            var chunk: [String] = []
            chunk.reserveCapacity(BatchPredictor.chunkSize)
            try DatasetReader(path: input, options: options).forEachRecord { record in
                chunk.append(record.text)
                if chunk.count == BatchPredictor.chunkSize {
                    try sink.write(predictor.process(chunk))
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            if !chunk.isEmpty { try sink.write(predictor.process(chunk)) }
            try sink.commit()
        } catch {
            sink.abandon()
            throw error
        }
    }
}

extension PredictionFormatter.Format: ExpressibleByArgument {}
