import ArgumentParser

/// The `intent` command: train, evaluate and run intent classifiers.
@main
struct IntentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intent",
        abstract: "Train, evaluate and serve intent classifiers for any language.",
        version: ToolVersion.current,
        subcommands: [TrainCommand.self, EvaluateCommand.self, PredictCommand.self, ServeCommand.self, BenchCommand.self, TuneCommand.self, RunsCommand.self]
    )
}
