import Foundation
import IntentML
import Testing
import TestSupport

/// Datasets that name their out-of-scope label, closed-set data, and data too thin to train on, through
/// the real `intent` commands.
@Suite("intent train and evaluate on other people's labels")
struct OutOfScopeCommandTests {
    /// A small dataset with three intents and an `oos` label, as public intent sets write it.
    static func dataset(in directory: URL) throws -> URL {
        var rows: [String] = []
        let intents = ["weather": ["rain today", "sunny tomorrow", "forecast please", "is it cold", "weather in paris", "snow this week"],
                       "music": ["play a song", "next track", "louder music", "play jazz", "stop the music", "shuffle playlist"],
                       "alarm": ["wake me at six", "set an alarm", "cancel my alarm", "alarm for noon", "snooze alarm", "alarm tomorrow"],
                       "oos": ["what is the capital of peru", "tell me a joke", "how tall is everest", "who won the game", "recipe for soup", "translate hello"]]
        for (label, sentences) in intents.sorted(by: { $0.key < $1.key }) {
            for round in 0..<3 { for sentence in sentences { rows.append("\(sentence) \(round)\t\(label)") } }
        }
        let file = directory.appendingPathComponent("data.tsv")
        try rows.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("--unknown-label maps the dataset's oos label to <unknown> in train and evaluate; evaluate reports both views")
    func unknownLabel() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let data = try Self.dataset(in: directory)
        let model = directory.appendingPathComponent("model").path
        let trained = try IntentProcess.run(["train", "--data", data.path, "--unknown-label", "oos", "--output", model, "--quiet", "--runs-dir", "none"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let labels = try ModelBundle.load(from: model).manifest.labels.classes
        #expect(labels.contains(LabelSet.unknownLabel) && !labels.contains("oos"), "\(labels)")
        let evaluated = try IntentProcess.run(["evaluate", "--model", model, "--data", data.path, "--unknown-label", "oos", "--format", "json"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any]
        let scopes = report?["scopes"] as? [String: Any]
        #expect(scopes?["out_of_scope_n"] as? Int == 18 && scopes?["in_scope_n"] as? Int == 54)
        #expect(scopes?["out_of_scope_recall"] != nil && scopes?["closed_set_macro_f1"] != nil)
        #expect((report?["unseen_gold_labels"] as? [String: Any])?.isEmpty == true)
        // Without the flag, oos is an intent like the others.
        let plain = try IntentProcess.run(["evaluate", "--model", model, "--data", data.path])
        #expect(plain.stdout.contains("--unknown-label"), "the hint is missing: \(plain.stdout)")
    }

    @Test("closed-set data trains with no threshold by default: nothing is answered <unknown>")
    func closedSetDefault() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let all = try String(contentsOf: try Self.dataset(in: directory), encoding: .utf8)
        let closed = directory.appendingPathComponent("closed.tsv")
        try all.split(separator: "\n").filter { !$0.hasSuffix("\toos") }.joined(separator: "\n").write(to: closed, atomically: true, encoding: .utf8)
        let model = directory.appendingPathComponent("model").path
        let trained = try IntentProcess.run(["train", "--data", closed.path, "--output", model, "--quiet", "--runs-dir", "none"])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(try ModelBundle.load(from: model).manifest.unknownThreshold == 0)
        // ood-recall needs out-of-domain data, and says how to give it.
        let refused = try IntentProcess.run(["train", "--data", closed.path, "--output", model, "--calibration", "ood-recall=0.9", "--runs-dir", "none"])
        #expect(refused.status != 0 && refused.stderr.contains("--ood"), "\(refused.stderr)")
        let keeping = try IntentProcess.run(["train", "--data", closed.path, "--output", model, "--calibration", "nonsense", "--runs-dir", "none"])
        #expect(keeping.status != 0 && keeping.stderr.contains("--calibration"))
    }

    @Test("one intent or a single row is refused with what to do; single-example intents and --valid labels never trained on are warned about")
    func thinData() throws {
        let directory = TestDirectories.make(prefix: "intent-cli")
        let one = directory.appendingPathComponent("one.tsv")
        try (0..<6).map { "hello there \($0)\tgreet" }.joined(separator: "\n").write(to: one, atomically: true, encoding: .utf8)
        let model = directory.appendingPathComponent("model").path
        let single = try IntentProcess.run(["train", "--data", one.path, "--output", model, "--runs-dir", "none"])
        #expect(single.status != 0 && single.stderr.contains("at least two intents"), "\(single.stderr)")
        #expect(!FileManager.default.fileExists(atPath: model))
        let row = directory.appendingPathComponent("row.tsv")
        try "hello there\tgreet\ngoodbye\tleave\n".write(to: row, atomically: true, encoding: .utf8)
        let thin = try IntentProcess.run(["train", "--data", row.path, "--output", model, "--runs-dir", "none"])
        #expect(thin.status != 0 && thin.stderr.contains("no intent has 2 examples"), "\(thin.stderr)")
        let rare = directory.appendingPathComponent("rare.tsv")
        try ((0..<6).map { "hello there \($0)\tgreet" } + (0..<6).map { "see you \($0)\tbye" } + ["thanks a lot\tthanks"])
            .joined(separator: "\n").write(to: rare, atomically: true, encoding: .utf8)
        let warnedRare = try IntentProcess.run(["train", "--data", rare.path, "--output", model, "--quiet", "--runs-dir", "none"])
        #expect(warnedRare.status == 0 && warnedRare.stderr.contains("single example and cannot be validated: thanks"), "\(warnedRare.stderr)")
        let data = try Self.dataset(in: directory)
        let valid = directory.appendingPathComponent("valid.tsv")
        try "turn on the lights\tlights\nrain today\tweather\n".write(to: valid, atomically: true, encoding: .utf8)
        let warned = try IntentProcess.run(["train", "--data", data.path, "--valid", valid.path, "--output", model, "--quiet", "--runs-dir", "none"])
        #expect(warned.status == 0 && warned.stderr.contains("warning: --valid has 1 examples of labels --data never has"), "\(warned.stderr)")
    }
}
