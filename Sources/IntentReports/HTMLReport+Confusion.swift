import Foundation
import IntentML

/// The confusion-matrix heatmap of the HTML report, as inline SVG.
extension HTMLReport {
    /// Labels longer than this are cut on the axes (the full label is in each cell's tooltip).
    static let maxAxisLabelCharacters = 28

    /// A gold-by-predicted grid: diagonal cells blue, errors red, opacity the share of the gold row,
    /// with the count written in each non-empty cell.
    static func confusionHeatmap(_ confusion: ConfusionMatrix) -> String {
        let labels = confusion.labels
        let classCount = labels.count
        guard classCount > 0, confusion.counts.count == classCount else {
            return "<p class=\"muted\">No examples.</p>"
        }
        // Cells shrink as classes grow so a 40-class matrix still fits a page; counts stay legible down to 18 px.
        let cell: Double = classCount <= 10 ? 40 : classCount <= 25 ? 26 : 18
        let fontSize: Double = cell >= 26 ? 12 : 10
        let shown = labels.map { EvaluationReport.truncate($0, to: maxAxisLabelCharacters) }
        let labelWidth = min(210, Double(shown.map(\.count).max() ?? 1) * fontSize * 0.62 + 12)
        let left = labelWidth + 10
        let top = labelWidth * 0.72 + 24
        let width = left + Double(classCount) * cell + labelWidth * 0.72 + 12
        let height = top + Double(classCount) * cell + 12
        let shares = confusion.rowNormalized

        var svg = "<svg class=\"confusion\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(number(width))\" "
            + "height=\"\(number(height))\" viewBox=\"0 0 \(number(width)) \(number(height))\" role=\"img\" "
            + "aria-label=\"confusion matrix\">"
        svg += "<text x=\"\(number(left))\" y=\"14\" font-size=\"12\" font-weight=\"600\">predicted →</text>"
        svg += "<text x=\"4\" y=\"\(number(top - 6))\" font-size=\"12\" font-weight=\"600\">gold ↓</text>"
        for (index, label) in shown.enumerated() {
            let center = Double(index) * cell + cell / 2
            // Row labels right-aligned left of the grid; column labels slanted up so long names do not overlap.
            svg += "<text x=\"\(number(labelWidth))\" y=\"\(number(top + center + fontSize * 0.35))\" "
                + "font-size=\"\(number(fontSize))\" text-anchor=\"end\">\(escape(label))</text>"
            let columnX = left + center
            svg += "<text transform=\"translate(\(number(columnX + fontSize * 0.3)),\(number(top - 6))) rotate(-45)\" "
                + "font-size=\"\(number(fontSize))\">\(escape(label))</text>"
        }
        for row in 0..<classCount {
            for column in 0..<classCount {
                let count = column < confusion.counts[row].count ? confusion.counts[row][column] : 0
                let share = column < shares[row].count ? shares[row][column] : 0
                let x = left + Double(column) * cell
                let y = top + Double(row) * cell
                let fill = count == 0 ? "#f8fafc" : row == column ? "#2563eb" : "#dc2626"
                // A faint floor keeps a single stray error visible in a large row.
                let opacity = count == 0 ? 1 : max(0.08, share)
                let tooltip = "gold \(labels[row]) → predicted \(labels[column]): \(count) (\(percent(share)) of row)"
                svg += "<g><title>\(escape(tooltip))</title><rect x=\"\(number(x))\" y=\"\(number(y))\" "
                    + "width=\"\(number(cell - 1))\" height=\"\(number(cell - 1))\" fill=\"\(fill)\" "
                    + "fill-opacity=\"\(String(format: "%.3f", opacity))\" stroke=\"#e2e8f0\" stroke-width=\"0.5\"/>"
                if count > 0 {
                    let color = share > 0.55 ? "#ffffff" : "#0f172a"
                    svg += "<text x=\"\(number(x + cell / 2))\" y=\"\(number(y + cell / 2 + fontSize * 0.35))\" "
                        + "font-size=\"\(number(fontSize - 1))\" text-anchor=\"middle\" style=\"fill:\(color)\">\(count)</text>"
                }
                svg += "</g>"
            }
        }
        return svg + "</svg>"
    }

    /// A coordinate with at most one decimal.
    static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
