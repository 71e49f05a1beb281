import Foundation
import IntentML

/// The line and bar charts of the HTML report (ROC, reliability, lift), as inline SVG on unit axes.
extension HTMLReport {
    /// Plot geometry shared by the charts: a square-ish area with room for tick labels.
    struct PlotArea {
        var width = 420.0
        var height = 320.0
        var left = 48.0
        var right = 16.0
        var top = 16.0
        var bottom = 40.0

        var plotWidth: Double { width - left - right }
        var plotHeight: Double { height - top - bottom }
        /// The SVG x of a value in 0...1.
        func x(_ value: Double) -> Double { left + min(max(value, 0), 1) * plotWidth }
        /// The SVG y of a value in 0...1 (0 at the bottom).
        func y(_ value: Double) -> Double { top + (1 - min(max(value, 0), 1)) * plotHeight }
    }

    /// One colour per series, spread around the hue circle by the golden angle so neighbours differ.
    static func seriesColor(_ index: Int) -> String {
        "hsl(\((index * 137) % 360),65%,42%)"
    }

    /// The SVG opening tag, grid, ticks at 0, 0.25 ... 1 (on x too unless the chart labels its own bars) and axis titles.
    static func axes(_ area: PlotArea, xTitle: String, yTitle: String, label: String, xTicks: Bool = true) -> String {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(number(area.width))\" height=\"\(number(area.height))\" "
            + "viewBox=\"0 0 \(number(area.width)) \(number(area.height))\" role=\"img\" aria-label=\"\(escape(label))\">"
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg += "<line x1=\"\(number(area.x(0)))\" x2=\"\(number(area.x(1)))\" y1=\"\(number(area.y(tick)))\" "
                + "y2=\"\(number(area.y(tick)))\" stroke=\"#f1f5f9\"/>"
            svg += "<text x=\"\(number(area.left - 6))\" y=\"\(number(area.y(tick) + 4))\" font-size=\"10\" "
                + "text-anchor=\"end\">\(String(format: "%.2f", tick))</text>"
            if xTicks {
                svg += "<text x=\"\(number(area.x(tick)))\" y=\"\(number(area.y(0) + 14))\" font-size=\"10\" "
                    + "text-anchor=\"middle\">\(String(format: "%.2f", tick))</text>"
            }
        }
        svg += "<rect x=\"\(number(area.left))\" y=\"\(number(area.top))\" width=\"\(number(area.plotWidth))\" "
            + "height=\"\(number(area.plotHeight))\" fill=\"none\" stroke=\"#cbd5e1\"/>"
        svg += "<text x=\"\(number(area.left + area.plotWidth / 2))\" y=\"\(number(area.height - 6))\" font-size=\"11\" "
            + "text-anchor=\"middle\">\(escape(xTitle))</text>"
        svg += "<text transform=\"translate(12,\(number(area.top + area.plotHeight / 2))) rotate(-90)\" font-size=\"11\" "
            + "text-anchor=\"middle\">\(escape(yTitle))</text>"
        return svg
    }

    /// The diagonal from (0, 0) to (1, 1): chance for ROC, perfect calibration for reliability.
    static func diagonal(_ area: PlotArea) -> String {
        "<line x1=\"\(number(area.x(0)))\" y1=\"\(number(area.y(0)))\" x2=\"\(number(area.x(1)))\" y2=\"\(number(area.y(1)))\" "
            + "stroke=\"#334155\" stroke-opacity=\"0.7\" stroke-width=\"1.2\" stroke-dasharray=\"4 4\"/>"
    }

    /// One line per class over false-positive rate (x) and true-positive rate (y), with a legend.
    static func rocChart(_ report: EvaluationReport) -> String {
        guard !report.rocCurves.isEmpty else {
            return "<p class=\"muted\">No class has both positive and negative examples.</p>"
        }
        var area = PlotArea()
        area.width = 420
        area.height = 400
        var svg = axes(area, xTitle: "false-positive rate", yTitle: "true-positive rate", label: "ROC curves")
        svg += diagonal(area)
        for (index, curve) in report.rocCurves.enumerated() {
            let points = curve.points.map { "\(number(area.x($0.fpr))),\(number(area.y($0.tpr)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(seriesColor(index))\" stroke-width=\"1.6\" stroke-opacity=\"0.85\" "
                + "points=\"\(points)\"><title>\(escape(curve.label)): AUC \(decimal(curve.auc))</title></polyline>"
        }
        svg += "</svg>"
        let legend = report.rocCurves.enumerated().map { index, curve in
            "<span><i style=\"background:\(seriesColor(index))\"></i><code>\(escape(curve.label))</code> \(decimal(curve.auc))</span>"
        }
        var notes = ""
        if !report.rocAUCSkipped.isEmpty {
            notes = "<p class=\"muted\">Skipped (no positives or no negatives): "
                + report.rocAUCSkipped.map { "<code>\(escape($0))</code>" }.joined(separator: ", ") + "</p>"
        }
        return svg + "<div class=\"legend\">\(legend.joined())</div>" + notes
    }

    /// Accuracy per confidence bin as bars against the diagonal, with each bin's count above its bar.
    static func reliabilityChart(_ report: EvaluationReport) -> String {
        let area = PlotArea()
        var svg = axes(area, xTitle: "confidence", yTitle: "accuracy", label: "reliability diagram")
        for bin in report.reliabilityBins where bin.count > 0 {
            let x = area.x(bin.lower) + 1
            let barWidth = max(1, area.x(bin.upper) - area.x(bin.lower) - 2)
            let tooltip = "confidence \(decimal(bin.lower))-\(decimal(bin.upper)): \(bin.count) examples, "
                + "accuracy \(decimal(bin.accuracy)), mean confidence \(decimal(bin.meanConfidence))"
            svg += "<g><title>\(escape(tooltip))</title><rect x=\"\(number(x))\" y=\"\(number(area.y(bin.accuracy)))\" "
                + "width=\"\(number(barWidth))\" height=\"\(number(area.y(0) - area.y(bin.accuracy)))\" fill=\"#3b82f6\" "
                + "fill-opacity=\"0.75\"/>"
            svg += "<circle cx=\"\(number(x + barWidth / 2))\" cy=\"\(number(area.y(bin.meanConfidence)))\" r=\"2.5\" fill=\"#dc2626\"/>"
            svg += "<text x=\"\(number(x + barWidth / 2))\" y=\"\(number(area.y(bin.accuracy) - 4))\" font-size=\"9\" "
                + "text-anchor=\"middle\">\(bin.count)</text></g>"
        }
        svg += diagonal(area) + "</svg>"
        return svg + "<p class=\"muted\">Bars: accuracy per bin (count above); red dots: mean confidence; "
            + "dashed: perfect calibration. ECE \(decimal(report.ece)).</p>"
    }

    /// Accuracy among the top 10%, 20%, ... most confident examples, with the lift over overall accuracy.
    static func liftChart(_ report: EvaluationReport) -> String {
        guard !report.lift.isEmpty else { return "<p class=\"muted\">No examples.</p>" }
        let area = PlotArea()
        var svg = axes(area, xTitle: "most confident share of examples", yTitle: "accuracy", label: "lift chart",
                       xTicks: false)
        let slot = area.plotWidth / Double(report.lift.count)
        for (index, point) in report.lift.enumerated() {
            let x = area.left + Double(index) * slot + slot * 0.15
            let liftText = point.lift.map { String(format: "×%.2f", $0) } ?? ""
            svg += "<g><title>top \(point.decile * 10)%: \(point.count) examples, accuracy \(decimal(point.accuracy))</title>"
                + "<rect x=\"\(number(x))\" y=\"\(number(area.y(point.accuracy)))\" width=\"\(number(slot * 0.7))\" "
                + "height=\"\(number(area.y(0) - area.y(point.accuracy)))\" fill=\"#10b981\" fill-opacity=\"0.75\"/>"
                + "<text x=\"\(number(x + slot * 0.35))\" y=\"\(number(area.y(point.accuracy) - 4))\" font-size=\"9\" "
                + "text-anchor=\"middle\">\(liftText)</text>"
                + "<text x=\"\(number(x + slot * 0.35))\" y=\"\(number(area.y(0) + 12))\" font-size=\"9\" "
                + "text-anchor=\"middle\">\(point.decile * 10)%</text></g>"
        }
        svg += "<line x1=\"\(number(area.x(0)))\" x2=\"\(number(area.x(1)))\" y1=\"\(number(area.y(report.accuracy)))\" "
            + "y2=\"\(number(area.y(report.accuracy)))\" stroke=\"#475569\" stroke-dasharray=\"4 4\"/></svg>"
        return svg + "<p class=\"muted\">Bars: accuracy within the most confident share, labelled with lift "
            + "(that accuracy ÷ overall accuracy); dashed: overall accuracy \(percent(report.accuracy)).</p>"
    }
}
