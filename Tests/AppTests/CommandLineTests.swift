import Foundation
import IntentML
import Testing
import TestSupport

/// The `intent` CLI at the process boundary: exit codes, messages, files and output rows.
@Suite("intent CLI", .serialized)
struct CommandLineTests {
    /// One model trained on the built-in dataset, shared by the tests of this suite and the API's; a
    /// failed training fails every test that uses it, with intent train's own message.
    static var model: URL {
        get throws { try trained.get() }
    }

    private static let trained = Result<URL, Error> {
        let directory = TestDirectories.make(prefix: "intent-cli").appendingPathComponent("model")
        let result = try IntentProcess.run(["train", "--output", directory.path, "--quiet"])
        guard result.status == 0 else { throw SharedModelError.trainingFailed(status: result.status, stderr: result.stderr) }
        return directory
    }

    @Test("train on the built-in dataset writes a loadable bundle and reports validation accuracy")
    func train() throws {
        let directory = TestDirectories.make(prefix: "intent-cli").appendingPathComponent("m")
        let result = try IntentProcess.run(["train", "--output", directory.path, "--seed", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("validation accuracy"))
        let bundle = try ModelBundle.load(from: directory.path)
        #expect(bundle.manifest.trainingData.sources.first?.hasPrefix("<built-in") == true)
        #expect(bundle.manifest.seed == 3)
    }

    @Test("predict: one row per input row, in order, identical to the library's answers")
    func predictRows() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let sentences = DefaultDataset.examples().map(\.text) + ["", "   ", "zzzz"].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let input = directory.appendingPathComponent("in.txt")
        try sentences.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("out.jsonl")
        let result = try IntentProcess.run(["predict", "--model", Self.model.path, "--input", input.path, "--output", output.path, "--top-k", "2", "--threads", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == sentences.count)
        let classifier = try ModelBundle.load(from: Self.model.path).classifier
        for (line, sentence) in zip(lines, sentences) {
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(row?["text"] as? String == sentence)
            let expected = classifier.predict(sentence, topK: 2)
            #expect(row?["intent"] as? String == expected.intent)
            #expect((row?["confidence"] as? Double).map { Float($0) } == expected.confidence)
            #expect((row?["top_k"] as? [Any])?.count == 2)
        }
    }

    @Test("predict over a directory: shards split its files so that each is predicted exactly once")
    func predictDirectoryShards() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let input = directory.appendingPathComponent("in"), output = directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let names = (0..<7).map { "part-\($0)" }
        for (index, name) in names.enumerated() {
            try "book a table\nзаказать столик \(index)\n".write(to: input.appendingPathComponent("\(name).txt"), atomically: true, encoding: .utf8)
        }
        try "hidden\n".write(to: input.appendingPathComponent(".ignored.txt"), atomically: true, encoding: .utf8)
        var produced: [String: Int] = [:]
        for shard in 0..<3 {
            let before = Set((try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? [])
            let result = try IntentProcess.run(["predict", "--model", Self.model.path, "--input", input.path, "--output", output.path,
                                                "--shard-index", "\(shard)", "--shard-count", "3"])
            #expect(result.status == 0, "\(result.stderr)")
            let added = Set(try FileManager.default.contentsOfDirectory(atPath: output.path)).subtracting(before)
            // Shard k takes the files at positions k, k+3, ... of the sorted names.
            #expect(added == Set(names.enumerated().filter { $0.offset % 3 == shard }.map { "\($0.element).jsonl" }))
            for name in added { produced[name, default: 0] += 1 }
        }
        #expect(produced.count == names.count && produced.values.allSatisfy { $0 == 1 })
        // Each output is what predicting that file alone gives.
        let single = try IntentProcess.run(["predict", "--model", Self.model.path, "--input", input.appendingPathComponent("part-4.txt").path])
        #expect(try String(contentsOf: output.appendingPathComponent("part-4.jsonl"), encoding: .utf8) == single.stdout)
        let refused = try IntentProcess.run(["predict", "--model", Self.model.path, "--input", input.appendingPathComponent("part-0.txt").path,
                                             "--shard-count", "2"])
        #expect(refused.status != 0 && refused.stderr.contains("not one"))
    }

    @Test("predict reads standard input and writes CSV with a header")
    func predictStdinCSV() throws {
        let result = try IntentProcess.run(["predict", "--model", Self.model.path, "--input", "-", "--format", "csv"],
                                           input: "book a flight, please\nwhat \"time\" is it\n")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first == "text,intent,confidence,unknown,top_k")
        #expect(lines[1].hasPrefix("\"book a flight, please\","))
        #expect(lines[2].hasPrefix("\"what \"\"time\"\" is it\","))
    }

    @Test("evaluate --format json has the contract fields, and --min-accuracy gates with exit 3")
    func evaluateJSON() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let ood = directory.appendingPathComponent("ood.txt")
        try DefaultDataset.oodSentences.joined(separator: "\n").write(to: ood, atomically: true, encoding: .utf8)
        let report = directory.appendingPathComponent("report.html")
        let result = try IntentProcess.run(["evaluate", "--model", Self.model.path, "--ood", ood.path, "--format", "json", "--report", report.path])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        for key in ["accuracy", "accuracy_exact_string", "macro_f1", "n"] { #expect(json[key] != nil, "missing \(key)") }
        let oodSection = json["ood"] as? [String: Any] ?? [:]
        #expect(oodSection["auroc"] != nil && oodSection["rejected_at_95_kept"] != nil)
        let html = try String(contentsOf: report, encoding: .utf8)
        // Self-contained: charts inline, nothing fetched (the SVG namespace URI is an identifier, not a fetch).
        #expect(html.contains("<svg"))
        for fetch in ["src=\"http", "href=\"http", "<link", "<script src", "@import", "url(http"] {
            #expect(!html.contains(fetch), "report references \(fetch)")
        }

        let gate = try IntentProcess.run(["evaluate", "--model", Self.model.path, "--min-accuracy", "1.01"])
        #expect(gate.status != 0)
        let failing = try IntentProcess.run(["evaluate", "--model", Self.model.path, "--min-accuracy", "0.0", "--threshold", "1"])
        #expect(failing.status == 0)
    }

    @Test("--model-kind lstm-attention: trains with a config, writes its kind, and predict answers what the library answers")
    func lstmAttention() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let config = directory.appendingPathComponent("lstm.json")
        try #"{"embedding_dimension": 12, "hidden_size": 8, "attention_size": 6, "epochs": 4}"#.write(to: config, atomically: true, encoding: .utf8)
        let model = directory.appendingPathComponent("lstm")
        let trained = try IntentProcess.run(["train", "--model-kind", "lstm-attention", "--config", config.path, "--output", model.path,
                                             "--threads", "2", "--quiet"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let bundle = try ModelBundle.load(from: model.path)
        #expect(bundle.manifest.modelKind == "lstm-attention")
        guard case .lstmAttention(let settings) = bundle.manifest.hyperparameters else {
            Issue.record("the manifest's hyperparameters are not the LSTM's")
            return
        }
        #expect(settings.hiddenSize == 8 && settings.epochs == 4)
        try Self.expectPredictAnswersLikeLibrary(model: model, bundle: bundle, sentences: 60, in: directory)
        // A config field of the other kind is refused with its name.
        try #"{"dimension": 12}"#.write(to: config, atomically: true, encoding: .utf8)
        let refused = try IntentProcess.run(["train", "--model-kind", "lstm-attention", "--config", config.path, "--output", model.path])
        #expect(refused.status != 0 && refused.stderr.contains("dimension"), "\(refused.stderr)")
    }

    @Test("--model-kind auto: the n-gram model on small data, said on stderr; a --config written for the n-gram model trains it on large data")
    func automaticKind() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let small = try IntentProcess.run(["train", "--output", directory.appendingPathComponent("small").path, "--quiet", "--runs-dir", "none"])
        #expect(small.status == 0 && small.stderr.contains("model kind: ngram (auto: "), "\(small.stderr)")
        #expect(try ModelBundle.load(from: directory.appendingPathComponent("small").path).manifest.modelKind == "ngram")
        // As many sentences as the switch to the ensemble needs, with a config only the n-gram kind takes.
        let data = directory.appendingPathComponent("large.tsv")
        let rows = (0..<ModelKindChoice.ensembleFrom).map { "sentence number \($0) about topic \($0 % 5)\ttopic_\($0 % 5)" }
        try rows.joined(separator: "\n").write(to: data, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("ngram.json")
        try #"{"dimension": 8, "epochs": 2}"#.write(to: config, atomically: true, encoding: .utf8)
        let large = try IntentProcess.run(["train", "--data", data.path, "--config", config.path, "--output", directory.appendingPathComponent("large").path,
                                           "--quiet", "--runs-dir", "none"])
        #expect(large.status == 0 && large.stderr.contains("model kind: ngram (auto: --config \(config.path) is written for it"), "\(large.stderr)")
        #expect(try ModelBundle.load(from: directory.appendingPathComponent("large").path).manifest.modelKind == "ngram")
        // A config no kind takes is refused with each kind's reason; one that fits the n-gram model and the LSTM
        // but not the ensemble (the size rule's kind) asks which it is for.
        try #"{"no_such_field": 1}"#.write(to: config, atomically: true, encoding: .utf8)
        let refused = try IntentProcess.run(["train", "--data", data.path, "--config", config.path, "--output", directory.appendingPathComponent("x").path])
        #expect(refused.status != 0 && refused.stderr.contains("no_such_field") && refused.stderr.contains("as lstm-attention:")
                && refused.stderr.contains("--model-kind"), "\(refused.stderr)")
        try #"{"epochs": 2, "learning_rate": 0.1}"#.write(to: config, atomically: true, encoding: .utf8)
        let ambiguous = try IntentProcess.run(["train", "--data", data.path, "--config", config.path, "--output", directory.appendingPathComponent("x").path])
        #expect(ambiguous.status != 0 && ambiguous.stderr.contains("it fits ngram and lstm-attention but not ensemble"), "\(ambiguous.stderr)")
    }

    /// `intent predict` on the first built-in sentences answers, row for row, what the library answers with
    /// the same bundle.
    static func expectPredictAnswersLikeLibrary(model: URL, bundle: ModelBundle, sentences count: Int, in directory: URL) throws {
        let sentences = DefaultDataset.examples().prefix(count).map(\.text)
        let input = directory.appendingPathComponent("in.txt")
        try sentences.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
        let result = try IntentProcess.run(["predict", "--model", model.path, "--input", input.path, "--output", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == sentences.count)
        for (line, sentence) in zip(lines, sentences) {
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let expected = bundle.classifier.predict(sentence)
            #expect(row?["intent"] as? String == expected.intent)
            #expect((row?["confidence"] as? Double).map { Float($0) } == expected.confidence)
        }
    }

    @Test("--model-kind ensemble: trains both members from one config, and predict answers what the library answers")
    func ensemble() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let config = directory.appendingPathComponent("ensemble.json")
        try #"{"ngram_weight": 0.4, "ngram": {"dimension": 16}, "lstm_attention": {"embedding_dimension": 12, "hidden_size": 8, "attention_size": 6, "epochs": 3}}"#
            .write(to: config, atomically: true, encoding: .utf8)
        let model = directory.appendingPathComponent("ensemble")
        let trained = try IntentProcess.run(["train", "--model-kind", "ensemble", "--config", config.path, "--output", model.path, "--quiet"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let bundle = try ModelBundle.load(from: model.path)
        guard case .ensemble(let settings) = bundle.manifest.hyperparameters, case .ensemble(let classifier) = bundle.classifier else {
            Issue.record("the bundle is not an ensemble")
            return
        }
        #expect(settings.ngramWeight == 0.4 && settings.ngram.dimension == 16 && settings.lstmAttention.epochs == 3)
        #expect(classifier.ngram.hyperparameters.dimension == 16 && classifier.hyperparameters.ngramWeight == 0.4)
        try Self.expectPredictAnswersLikeLibrary(model: model, bundle: bundle, sentences: 40, in: directory)
        // A member's field at the top level is refused with its name.
        try #"{"hidden_size": 8}"#.write(to: config, atomically: true, encoding: .utf8)
        let refused = try IntentProcess.run(["train", "--model-kind", "ensemble", "--config", config.path, "--output", model.path])
        #expect(refused.status != 0 && refused.stderr.contains("hidden_size"), "\(refused.stderr)")
    }

    @Test("every training is recorded in the runs registry; runs list and compare read it back")
    func runsRegistry() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let runs = directory.appendingPathComponent("runs").path
        for seed in ["1", "2"] {
            let result = try IntentProcess.run(["train", "--seed", seed, "--output", directory.appendingPathComponent("m\(seed)").path, "--runs-dir", runs, "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let ids = try FileManager.default.contentsOfDirectory(atPath: runs).sorted()
        #expect(ids.count == 2)
        for id in ids {
            let files = Set(try FileManager.default.contentsOfDirectory(atPath: runs + "/" + id))
            #expect(files == ["run.json", "epochs.jsonl", "metrics.json", "model", "report.html"])
            let epochs = try String(contentsOfFile: runs + "/" + id + "/epochs.jsonl", encoding: .utf8).split(separator: "\n")
            #expect(epochs.count == 30, "one line per epoch of the final training")
            #expect(try ModelBundle.load(from: runs + "/" + id + "/model").manifest.modelKind == "ngram")
        }
        let list = try IntentProcess.run(["runs", "list", "--runs-dir", runs, "--format", "json"])
        let listed = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(listed?.compactMap { $0["id"] as? String } == ids)
        let compare = try IntentProcess.run(["runs", "compare"] + ids + ["--runs-dir", runs])
        #expect(compare.status == 0 && compare.stdout.contains("learning_rate") && compare.stdout.contains("metric: validation_accuracy"), "\(compare.stdout)")
        let seedRow = compare.stdout.split(separator: "\n").first { $0.hasPrefix("seed") }.map(String.init) ?? ""
        #expect(seedRow.split(separator: " ", omittingEmptySubsequences: true) == ["seed", "1", "2"])
        let unknown = try IntentProcess.run(["runs", "compare", "nope", "--runs-dir", runs])
        #expect(unknown.status != 0 && unknown.stderr.contains("nope"))
    }

    @Test("tune writes every trial to study.json and the best setting as a loadable bundle")
    func tune() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let space = directory.appendingPathComponent("space.json")
        try #"{"learning_rate": {"log_uniform": [0.2, 1.0]}, "dimension": {"choice": [8, 16]}}"#.write(to: space, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("study")
        let result = try IntentProcess.run(["tune", "--space", space.path, "--trials", "6", "--seed", "3", "--output", output.path, "--quiet",
                                            "--runs-dir", directory.appendingPathComponent("runs").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 7, "a header and one row per trial: \(result.stdout)")
        let study = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("study.json"))) as? [String: Any]
        #expect((study?["trials"] as? [Any])?.count == 6)
        let bundle = try ModelBundle.load(from: output.appendingPathComponent("model").path)
        #expect(bundle.manifest.metrics["tuning_trials"] == 6)
        let refused = try IntentProcess.run(["tune", "--space", space.path, "--model-kind", "lstm-attention", "--output", output.path])
        #expect(refused.status != 0 && refused.stderr.contains("'dimension' is not a hyperparameter of the lstm-attention kind"), "\(refused.stderr)")
    }

    @Test("bad input: a clear message naming the problem and a non-zero exit", arguments: [
        (["train", "--model-kind", "transformer"], "--model-kind"),
        (["train", "--data", "/nonexistent/train.tsv", "--output", "/tmp/x"], "/nonexistent/train.tsv"),
        (["predict", "--model", "/nonexistent/model", "--input", "-"], "intent train"),
        (["train", "--threads", "0"], "--threads"),
        (["predict", "--model", "models/x", "--input", "-", "--top-k", "0"], "--top-k"),
        (["evaluate", "--format", "xml"], "xml"),
    ])
    func badInput(arguments: [String], mentions: String) throws {
        let result = try IntentProcess.run(arguments, input: "")
        #expect(result.status != 0)
        #expect(result.stderr.contains(mentions), "stderr: \(result.stderr)")
    }

    @Test("a bad row in the training data is reported with file and line")
    func badTrainingRow() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let data = directory.appendingPathComponent("train.tsv")
        try "book a flight\tbook_flight\nno label here\n".write(to: data, atomically: true, encoding: .utf8)
        let result = try IntentProcess.run(["train", "--data", data.path, "--output", directory.appendingPathComponent("m").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("train.tsv:2"), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("m").path))
    }
}

enum SharedModelError: Error, CustomStringConvertible {
    case trainingFailed(status: Int32, stderr: String)

    var description: String {
        switch self {
        case let .trainingFailed(status, stderr): return "intent train on the built-in dataset exited \(status): \(stderr)"
        }
    }
}
