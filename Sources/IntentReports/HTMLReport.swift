import Foundation
import IntentML

/// Renders an `EvaluationReport` as one self-contained HTML page: inline CSS and SVG, no scripts, no network.
///
/// Sections: headline metrics, unseen gold labels, per-intent table, confusion heatmap, ROC curves,
/// reliability diagram, lift chart and out-of-domain detection. Every label and text from the data is
/// escaped, so a label such as `<script>` shows as text.
public enum HTMLReport {
    /// Renders the page; `title` heads it and `modelDescription` says which model and data were evaluated.
    public static func render(report: EvaluationReport, title: String, modelDescription: String) -> String {
        var body: [String] = []
        body.append("<header><h1>\(escape(title))</h1><p class=\"muted\">\(escape(modelDescription))</p></header>")
        body.append(headline(report))
        if !report.unseenGoldLabels.isEmpty { body.append(unseenSection(report)) }
        body.append(section("Per intent", intentTable(report)))
        body.append(section("Confusion matrix",
            "<p class=\"muted\">Rows are gold label sets, columns predictions; shading is the share of the row.</p>"
                + confusionHeatmap(report.confusion)))
        body.append(section("ROC curves (one-vs-rest)", rocChart(report)))
        body.append(section("Reliability diagram", reliabilityChart(report)))
        body.append(section("Lift by confidence decile", liftChart(report)))
        body.append(section("Out-of-domain detection", outOfDomainSection(report.ood)))
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>\(stylesheet)</style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>
            """
    }

    /// `text` with the five HTML-special characters replaced by entities; safe in content and in quoted attributes.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A titled section.
    static func section(_ heading: String, _ content: String) -> String {
        "<section><h2>\(escape(heading))</h2>\n\(content)\n</section>"
    }

    /// The metric cards at the top.
    static func headline(_ report: EvaluationReport) -> String {
        var cards: [(String, String)] = [
            ("examples", "\(report.exampleCount)"),
            ("accuracy (set match)", percent(report.accuracy)),
            ("accuracy (exact string)", percent(report.accuracyExactString)),
            ("macro F1", decimal(report.macroF1)),
            ("weighted F1", decimal(report.weightedF1)),
            ("ROC-AUC (macro)", report.rocAUCMacro.map(decimal) ?? "n/a"),
            ("ECE", decimal(report.ece)),
            ("predicted &lt;unknown&gt;", "\(report.predictedUnknown)"),
        ]
        if let ood = report.ood {
            cards.append(("OOD AUROC", ood.auroc.map(decimal) ?? "n/a"))
            cards.append(("OOD rejected @95% kept", ood.rejectedAt95Kept.map(percent) ?? "n/a"))
        }
        // Card names are fixed strings written here (already entity-encoded where needed), never data.
        let items = cards.map { "<div class=\"card\"><div class=\"value\">\(escape($0.1))</div><div class=\"name\">\($0.0)</div></div>" }
        return "<div class=\"cards\">\(items.joined())</div>"
    }

    /// The warning about gold label sets the model cannot produce.
    static func unseenSection(_ report: EvaluationReport) -> String {
        let items = report.unseenGoldLabels.sorted { $0.key < $1.key }
            .map { "<li><code>\(escape($0.key))</code>: \($0.value)</li>" }
        return "<section class=\"warning\"><h2>Gold labels the model does not know</h2>"
            + "<p>\(report.unseenGoldCount) examples have label sets that are not classes of the model; they count as "
            + "errors. Add such examples to the training data or fix the labels.</p><ul>\(items.joined())</ul></section>"
    }

    /// The per-intent table, with an F1 bar in each row.
    static func intentTable(_ report: EvaluationReport) -> String {
        guard !report.perIntent.isEmpty else { return "<p class=\"muted\">No examples.</p>" }
        let rows = report.perIntent.map { metrics in
            let tag = metrics.inModel ? "" : " <span class=\"tag\">not in model</span>"
            let bar = "<span class=\"bar\" style=\"width:\(String(format: "%.1f", metrics.f1 * 100))%\"></span>"
            return "<tr><td><code>\(escape(metrics.label))</code>\(tag)</td><td class=\"num\">\(metrics.support)</td>"
                + "<td class=\"num\">\(metrics.predicted)</td><td class=\"num\">\(decimal(metrics.precision))</td>"
                + "<td class=\"num\">\(decimal(metrics.recall))</td>"
                + "<td class=\"num f1\">\(bar)<span>\(decimal(metrics.f1))</span></td>"
                + "<td class=\"num\">\(metrics.rocAUC.map(decimal) ?? "n/a")</td></tr>"
        }
        return "<table><thead><tr><th>label set</th><th>support</th><th>predicted</th><th>precision</th>"
            + "<th>recall</th><th>F1</th><th>ROC-AUC</th></tr></thead><tbody>\(rows.joined(separator: "\n"))</tbody></table>"
    }

    /// Out-of-domain numbers, or how to get them.
    static func outOfDomainSection(_ ood: OutOfDomainMetrics?) -> String {
        guard let ood else {
            return "<p class=\"muted\">Not measured: evaluate with out-of-domain sentences (<code>--ood</code>).</p>"
        }
        let rows: [(String, String)] = [
            ("out-of-domain sentences", "\(ood.count)"),
            ("in-domain examples", "\(ood.inDomainCount)"),
            ("AUROC (in-domain vs out-of-domain confidence)", ood.auroc.map(decimal) ?? "n/a"),
            ("confidence threshold keeping 95% of in-domain", ood.thresholdAt95Kept.map(decimal) ?? "n/a"),
            ("in-domain kept at that threshold", ood.inDomainKeptAt95.map(percent) ?? "n/a"),
            ("out-of-domain rejected at that threshold", ood.rejectedAt95Kept.map(percent) ?? "n/a"),
        ]
        let cells = rows.map { "<tr><td>\(escape($0.0))</td><td class=\"num\">\(escape($0.1))</td></tr>" }
        return "<table class=\"narrow\"><tbody>\(cells.joined())</tbody></table>"
    }

    /// A ratio as a percentage with one decimal.
    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    /// A metric with four decimals.
    static func decimal(_ value: Double) -> String { String(format: "%.4f", value) }

    /// The page's CSS: system fonts, light cards, compact tables.
    static let stylesheet = """
        body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;\
        margin:0 auto;max-width:1100px;padding:24px;color:#0f172a;background:#fff;line-height:1.45}
        h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.15rem;margin:32px 0 10px;border-bottom:1px solid #e2e8f0;\
        padding-bottom:4px}.muted{color:#64748b}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
        .cards{display:flex;flex-wrap:wrap;gap:10px;margin-top:18px}.card{border:1px solid #e2e8f0;border-radius:8px;\
        padding:10px 14px;min-width:120px;background:#f8fafc}.card .value{font-size:1.35rem;font-weight:600}\
        .card .name{font-size:.8rem;color:#64748b}
        table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:4px 8px;border-bottom:1px solid #f1f5f9;\
        text-align:left}th{color:#475569;font-weight:600;border-bottom:1px solid #cbd5e1}td.num{text-align:right;\
        font-variant-numeric:tabular-nums}table.narrow{width:auto}td.f1{position:relative;min-width:90px}\
        td.f1 .bar{position:absolute;left:0;top:3px;bottom:3px;background:#dbeafe;border-radius:2px}\
        td.f1 span:last-child{position:relative}
        .tag{font-size:.75rem;background:#fee2e2;color:#991b1b;border-radius:4px;padding:0 4px}
        .warning{border:1px solid #fecaca;background:#fef2f2;border-radius:8px;padding:4px 16px;margin-top:24px}
        svg{display:block;max-width:100%;height:auto;font-family:inherit}svg text{fill:#334155}
        .legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.8rem;margin-top:6px}\
        .legend i{display:inline-block;width:14px;height:3px;vertical-align:middle;margin-right:4px}
        """
}
