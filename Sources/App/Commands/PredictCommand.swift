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
            """)

    @Option(help: "Model bundle directory.")
    var model = "models/default"

    @Option(help: "Input file, or - for standard input.")
    var input: String

    @Option(help: "Output file, or - for standard output.")
    var output = "-"

    @Option(help: "Output format: jsonl, csv or tsv.")
    var format: PredictionFormatter.Format = .jsonl

    @Option(help: "How many alternative intents to list per row.")
    var topK = 1

    @Option(help: "Prediction threads (default: all cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Override the model's <unknown> threshold (0...1).")
    var threshold: Float?

    @OptionGroup var dataOptions: DataOptions

    func validate() throws {
        guard topK >= 1 && topK <= 100 else { throw ValidationError("--top-k must be in 1...100, got \(topK).") }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be in 1...256, got \(threads).") }
        if let threshold, !(threshold >= 0 && threshold <= 1) { throw ValidationError("--threshold must be in 0...1.") }
    }

    func run() async throws {
        var classifier = try ModelBundle.load(from: model).classifier
        if let threshold { classifier.unknownThreshold = threshold }
        var options: DatasetOptions
        if input == "-" && dataOptions.inputFormat == nil {
            options = DatasetOptions(format: .txt)
        } else {
            options = try dataOptions.options(for: input, requireLabels: false)
        }
        options.requireLabels = false
        let formatter = PredictionFormatter(format: format)
        let predictor = BatchPredictor(classifier: classifier, formatter: formatter, topK: topK, threads: threads)
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

/// Standard output, or a file written through a temp file that is renamed into place on success.
final class OutputSink {
    private let handle: FileHandle
    private let finalPath: String?
    private let temporaryPath: String?

    init(path: String) throws {
        if path == "-" {
            handle = FileHandle.standardOutput
            finalPath = nil
            temporaryPath = nil
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw ValidationError("cannot create the output file next to \(path): check that the directory exists and is writable.")
        }
        self.handle = handle
        finalPath = path
        temporaryPath = temporary
    }

    func write(_ bytes: [UInt8]) throws {
        try handle.write(contentsOf: bytes)
    }

    func commit() throws {
        guard let finalPath, let temporaryPath else { return }
        try handle.synchronize()
        try handle.close()
        guard rename(temporaryPath, finalPath) == 0 else {
            throw ValidationError("cannot move the output into place at \(finalPath): \(String(cString: strerror(errno)))")
        }
    }

    func abandon() {
        guard let temporaryPath else { return }
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }
}
