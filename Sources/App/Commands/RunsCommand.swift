import ArgumentParser
import Foundation
import IntentML

/// `intent runs list|compare`: the local runs registry that `intent train` and `intent tune` write.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, compare and push recorded training runs.",
        subcommands: [List.self, Compare.self, Push.self])

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per run, oldest first.")

        @Option(help: "Runs registry directory.")
        var runsDir = "runs"

        @Option(help: "Output: text (a table) or json.")
        var format: Format = .text

        func run() async throws {
            let runs = try RunRecorder.list(root: runsDir)
            // Where `intent runs push` (or a tracked training) logged a run: its mlflow.json.
            let logged = Dictionary(uniqueKeysWithValues: runs.map { entry in
                (entry.id, MLflowPublisher.record(of: URL(fileURLWithPath: runsDir).appendingPathComponent(entry.id)))
            })
            if format == .json {
                let object = runs.map { entry -> [String: Any] in
                    var line: [String: Any] = ["id": entry.id, "run": entry.run, "metrics": entry.metrics]
                    if let mlflow = logged[entry.id] ?? nil { line["mlflow"] = mlflow }
                    return line
                }
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
                return
            }
            guard !runs.isEmpty else {
                printError("no runs in \(runsDir): `intent train` records one there per training.")
                return
            }
            let rows = runs.map { entry -> [String] in
                let data = entry.run["data"] as? [String: Any]
                return [entry.id, entry.run["command"] as? String ?? "", entry.run["model_kind"] as? String ?? "",
                        RunsCommand.number(entry.metrics["validation_accuracy"]), RunsCommand.number(entry.metrics["training_seconds"]),
                        String((data?["sha256"] as? String ?? "").prefix(12)), entry.run["model_version"] as? String ?? "",
                        ((logged[entry.id] ?? nil)?["run_id"] as? String).map { String($0.prefix(12)) } ?? "-"]
            }
            print(RunsCommand.table(header: ["run", "command", "kind", "valid_acc", "train_s", "data", "model", "mlflow"], rows: rows))
        }
    }

    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hyperparameters and metrics of runs side by side.")

        @Argument(help: "Run ids (directory names under --runs-dir).")
        var runs: [String]

        @Option(help: "Runs registry directory.")
        var runsDir = "runs"

        @Option(help: "Output: text (a table) or json.")
        var format: Format = .text

        func validate() throws {
            guard !runs.isEmpty else { throw ValidationError("name at least one run (see `intent runs list`).") }
        }

        func run() async throws {
            let known = Dictionary(try RunRecorder.list(root: runsDir).map { ($0.id, $0) }, uniquingKeysWith: { $1 })
            let chosen = try runs.map { id in
                guard let entry = known[id] else { throw ValidationError("no run '\(id)' in \(runsDir): see `intent runs list`.") }
                return entry
            }
            // Rows: every hyperparameter and metric any of the runs has, sorted by name.
            var rows: [(String, [String])] = []
            let settings = chosen.map { ModelHyperparameters.flattened($0.run["hyperparameters"] as? [String: Any] ?? [:]) }
            for name in Set(settings.flatMap(\.keys)).sorted() {
                rows.append((name, settings.map { RunsCommand.value($0[name]) }))
            }
            for name in ["model_kind", "seed", "threads"] { rows.append((name, chosen.map { RunsCommand.value($0.run[name]) })) }
            rows.append(("data_sha256", chosen.map { String((($0.run["data"] as? [String: Any])?["sha256"] as? String ?? "").prefix(12)) }))
            for name in Set(chosen.flatMap(\.metrics.keys)).sorted() {
                rows.append(("metric: \(name)", chosen.map { RunsCommand.value($0.metrics[name]) }))
            }
            if format == .json {
                let object = Dictionary(rows.map { ($0.0, $0.1) }, uniquingKeysWith: { $1 }).merging(["runs": runs]) { $1 }
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
                return
            }
            print(RunsCommand.table(header: [""] + runs, rows: rows.map { [$0.0] + $0.1 }))
        }
    }

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Log recorded runs to the MLflow server at MLFLOW_TRACKING_URI.",
            discussion: """
                Each run goes to the experiment MLFLOW_EXPERIMENT_NAME (default intentops) with its parameters, \
                metrics, per-epoch history and every file (the bundle under model/) as artifacts; a tuning study \
                adds one child run per trial. A pushed run notes the MLflow ids in its mlflow.json and is not \
                pushed again unless --force is given. `intent train` and `intent tune` push by themselves when \
                MLFLOW_TRACKING_URI is set; this retries the ones that could not reach the server.
                """)

        @Argument(help: "Run ids (directory names under --runs-dir).")
        var runs: [String]

        @Option(help: "Runs registry directory.")
        var runsDir = "runs"

        @Flag(help: "Log a run again even if its mlflow.json says it was logged already.")
        var force = false

        func validate() throws {
            guard !runs.isEmpty else { throw ValidationError("name at least one run (see `intent runs list`).") }
        }

        func run() async throws {
            guard let tracking = try MLflowPublisher.configuration() else {
                throw ValidationError("MLFLOW_TRACKING_URI is not set: give the MLflow server's address, for example MLFLOW_TRACKING_URI=http://127.0.0.1:5000.")
            }
            let known = Set(try RunRecorder.list(root: runsDir).map(\.id))
            let directories = try runs.map { id -> URL in
                guard known.contains(id) else { throw ValidationError("no run '\(id)' in \(runsDir): see `intent runs list`.") }
                return URL(fileURLWithPath: runsDir).appendingPathComponent(id)
            }
            var failed = 0
            for directory in directories {
                if !force, let logged = MLflowPublisher.record(of: directory) {
                    printError("\(directory.lastPathComponent) is already in MLflow as run \(logged["run_id"] as? String ?? "?") "
                               + "(\(logged["url"] as? String ?? "")); --force logs it again.")
                    continue
                }
                if await !MLflowPublisher.publish(run: directory, configuration: tracking) { failed += 1 }
            }
            if failed > 0 { throw ExitCode(1) }
        }
    }

    static func number(_ value: Any?) -> String {
        guard let number = value as? NSNumber else { return "" }
        return String(format: "%.4f", number.doubleValue)
    }

    static func value(_ value: Any?) -> String {
        switch value {
        case nil: return ""
        case let number as NSNumber: return number.stringValue
        case let text as String: return text
        case let other?: return "\(other)"
        }
    }

    /// Left-aligned columns separated by two spaces.
    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in cell.padding(toLength: widths[column], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
