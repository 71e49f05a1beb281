import Foundation

/// The report as plain text for a terminal: headline metrics, the per-intent table and out-of-domain results.
extension EvaluationReport {
    /// Longest label shown in the per-intent table; longer ones are cut with "..." so columns stay aligned.
    static let maxTextLabelWidth = 40

    /// A readable summary: headline metrics, unseen gold labels, a per-intent table, lift and the OOD section.
    public func renderText() -> String {
        var lines: [String] = []
        lines.append("Evaluation on \(exampleCount) examples, \(perIntent.count) label-set classes")
        lines.append("")
        lines.append(row("accuracy (label-set match)", Self.format(accuracy)))
        lines.append(row("accuracy (exact string)", Self.format(accuracyExactString)))
        lines.append(row("micro precision/recall/F1", trio(microPrecision, microRecall, microF1)))
        lines.append(row("macro precision/recall/F1", trio(macroPrecision, macroRecall, macroF1)))
        lines.append(row("weighted F1", Self.format(weightedF1)))
        let rocText = rocAUCMacro.map { "\(Self.format($0)) over \(rocCurves.count) classes" } ?? "n/a"
        lines.append(row("ROC-AUC (macro, one-vs-rest)", rocText))
        lines.append(row("ECE (\(reliabilityBins.count) bins)", Self.format(ece)))
        lines.append(row("predicted <unknown>", "\(predictedUnknown)"))
        if let scopes {
            lines.append("")
            lines.append("Closed set (\(scopes.inScopeCount) in-domain sentences, most likely intent, no threshold):")
            lines.append(row("  accuracy / macro-F1", "\(Self.format(scopes.closedSetAccuracy)) / \(Self.format(scopes.closedSetMacroF1))"))
            if scopes.outOfScopeCount > 0 {
                lines.append("Open set at the model's threshold (\(scopes.outOfScopeCount) out-of-scope sentences):")
                lines.append(row("  in-scope accuracy", scopes.inScopeAccuracy.map(Self.format) ?? "n/a"))
                lines.append(row("  out-of-scope recall / precision",
                                 "\(scopes.outOfScopeRecall.map(Self.format) ?? "n/a") / \(scopes.outOfScopePrecision.map(Self.format) ?? "n/a")"))
            }
        }
        if !rocAUCSkipped.isEmpty {
            lines.append("")
            lines.append("ROC-AUC skipped (no positives or no negatives): \(rocAUCSkipped.joined(separator: ", "))")
        }
        if rocExcludedExamples > 0 {
            lines.append("ROC-AUC left out \(rocExcludedExamples) examples whose scores do not match the model's classes")
        }
        if !unseenGoldLabels.isEmpty {
            lines.append("")
            lines.append("Gold labels the model does not know (\(unseenGoldCount) examples, always wrong; add them to training, "
                + "or pass --unknown-label NAME if one of them is the dataset's out-of-scope label):")
            for (label, count) in unseenGoldLabels.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(label): \(count)")
            }
        }
        lines.append("")
        lines.append(contentsOf: intentTable())
        if !lift.isEmpty {
            lines.append("")
            lines.append("Lift (most confident first):")
            for point in lift {
                let liftText = point.lift.map { String(format: "%.2fx", $0) } ?? "n/a"
                lines.append("  top \(Self.pad("\(point.decile * 10)%", 5)) n=\(Self.pad("\(point.count)", 6)) "
                    + "accuracy \(Self.format(point.accuracy))  lift \(liftText)")
            }
        }
        lines.append("")
        lines.append(contentsOf: outOfDomainLines())
        return lines.joined(separator: "\n")
    }

    /// The per-intent table, one class per line.
    private func intentTable() -> [String] {
        let width = min(Self.maxTextLabelWidth, max(6, perIntent.map { $0.label.count }.max() ?? 0))
        var lines = ["Per intent:"]
        lines.append("  " + Self.pad("label", width) + "  support  predicted  precision  recall  f1      roc_auc")
        for metrics in perIntent {
            let label = Self.truncate(metrics.label, to: width) + (metrics.inModel ? " " : "*")
            lines.append("  " + Self.pad(label, width + 1) + " "
                + Self.padLeft("\(metrics.support)", 7) + "  " + Self.padLeft("\(metrics.predicted)", 9) + "  "
                + Self.pad(Self.format(metrics.precision), 9) + "  " + Self.pad(Self.format(metrics.recall), 6) + "  "
                + Self.pad(Self.format(metrics.f1), 6) + "  " + (metrics.rocAUC.map(Self.format) ?? "n/a"))
        }
        if perIntent.contains(where: { !$0.inModel }) {
            lines.append("  * not a class of the model")
        }
        return lines
    }

    /// The out-of-domain section, or a line saying how to get one.
    private func outOfDomainLines() -> [String] {
        guard let ood else { return ["Out-of-domain: not measured (pass out-of-domain sentences to measure it)"] }
        return [
            "Out-of-domain (\(ood.count) sentences vs \(ood.inDomainCount) in-domain examples):",
            row("AUROC (in-domain vs OOD confidence)", ood.auroc.map(Self.format) ?? "n/a"),
            row("threshold keeping 95% in-domain", ood.thresholdAt95Kept.map(Self.format) ?? "n/a"),
            row("OOD rejected at that threshold", ood.rejectedAt95Kept.map(Self.format) ?? "n/a"),
        ]
    }

    private func row(_ name: String, _ value: String) -> String {
        "  " + Self.pad(name, 36) + " " + value
    }

    private func trio(_ first: Double, _ second: Double, _ third: Double) -> String {
        "\(Self.format(first)) / \(Self.format(second)) / \(Self.format(third))"
    }

    /// A metric with four decimals.
    static func format(_ value: Double) -> String {
        String(format: "%.4f", value)
    }

    /// `text` followed by spaces up to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Spaces followed by `text` up to `width` characters.
    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// `text` cut to `width` characters, ending in "..." when cut.
    package static func truncate(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 3))) + "..."
    }
}
