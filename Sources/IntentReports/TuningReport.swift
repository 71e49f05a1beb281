import Foundation
import IntentML

/// The HTML page of a tuning study: a parallel-coordinates chart of every trial and a parameter
/// importance table, self-contained (inline SVG, no script, no network).
///
/// Every trial is drawn at its first-rung accuracy, the one budget all trials share, so lines compare like
/// with like; the best trial of the study is drawn on top. Importance is the absolute Spearman rank
/// correlation between a numeric parameter and that accuracy (for a choice, the spread between the best
/// and worst option's mean accuracy): a first look at what mattered, not a causal claim.
public enum TuningReport {
    public static func render(space: SearchSpace, trials: [HyperparameterSearch.Trial], best: Int?, title: String) -> String {
        let scored = trials.filter { $0.failure == nil && !$0.rungs.isEmpty && $0.number > 0 }
        let accuracy = { (trial: HyperparameterSearch.Trial) in trial.rungs[0].validationAccuracy }
        let accuracies = scored.map(accuracy)
        let low = accuracies.min() ?? 0, high = accuracies.max() ?? 1
        let axes = space.parameters.count + 1
        let width = max(480, 140 * axes), height = 360, top = 30, bottom = 40, left = 60
        let spacing = axes > 1 ? Double(width - 2 * left) / Double(axes - 1) : 0
        let plot = Double(height - top - bottom)

        func y(_ fraction: Double) -> Double { Double(top) + plot * (1 - min(1, max(0, fraction))) }
        func fraction(_ name: String, _ distribution: SearchSpace.Distribution, _ fragment: String?) -> Double {
            guard let fragment else { return 0.5 }
            switch distribution {
            case let .uniform(a, b): return b > a ? ((Double(fragment) ?? a) - a) / (b - a) : 0.5
            case let .logUniform(a, b): return b > a ? (log(Double(fragment) ?? a) - log(a)) / (log(b) - log(a)) : 0.5
            case let .intUniform(a, b): return b > a ? ((Double(fragment) ?? Double(a)) - Double(a)) / Double(b - a) : 0.5
            case let .choice(options):
                let index = options.firstIndex(of: fragment) ?? 0
                return options.count > 1 ? Double(index) / Double(options.count - 1) : 0.5
            }
        }
        func polyline(_ trial: HyperparameterSearch.Trial, color: String, strokeWidth: Double) -> String {
            var points: [String] = []
            for (axis, parameter) in space.parameters.enumerated() {
                let x = Double(left) + spacing * Double(axis)
                points.append(String(format: "%.1f,%.1f", x, y(fraction(parameter.name, parameter.distribution, trial.values[parameter.name]))))
            }
            let score = high > low ? (accuracy(trial) - low) / (high - low) : 0.5
            points.append(String(format: "%.1f,%.1f", Double(left) + spacing * Double(axes - 1), y(score)))
            return #"<polyline fill="none" stroke="\#(color)" stroke-width="\#(strokeWidth)" points="\#(points.joined(separator: " "))"><title>trial \#(trial.number): \#(String(format: "%.4f", accuracy(trial)))</title></polyline>"#
        }

        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" font-family="sans-serif" font-size="11">"#
        for trial in scored.sorted(by: { accuracy($0) < accuracy($1) }) where trial.number != best {
            let score = high > low ? (accuracy(trial) - low) / (high - low) : 0.5
            let shade = Int(200 - 150 * score)
            svg += polyline(trial, color: "rgb(\(shade),\(shade),\(min(255, shade + 55)))", strokeWidth: 1)
        }
        if let winner = scored.first(where: { $0.number == best }) { svg += polyline(winner, color: "#e8590c", strokeWidth: 3) }
        for (axis, name) in (space.parameters.map(\.name) + ["accuracy (rung 1)"]).enumerated() {
            let x = Double(left) + spacing * Double(axis)
            svg += String(format: ##"<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#333"/>"##, x, top, x, height - bottom)
            svg += String(format: #"<text x="%.1f" y="%d" text-anchor="middle">%@</text>"#, x, height - bottom + 18, escape(name))
            let (bottomLabel, topLabel) = axis < space.parameters.count ? bounds(space.parameters[axis].distribution) : (String(format: "%.4f", low), String(format: "%.4f", high))
            svg += String(format: ##"<text x="%.1f" y="%d" text-anchor="middle" fill="#666">%@</text>"##, x, top - 8, escape(topLabel))
            svg += String(format: ##"<text x="%.1f" y="%d" text-anchor="middle" fill="#666">%@</text>"##, x, height - bottom + 32, escape(bottomLabel))
        }
        svg += "</svg>"

        var rows = ""
        for (name, score, how) in importance(space: space, trials: scored, accuracy: accuracy).sorted(by: { $0.1 > $1.1 }) {
            rows += "<tr><td>\(escape(name))</td><td>\(String(format: "%.3f", score))</td><td>\(how)</td></tr>"
        }
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}</style>
            </head><body><h1>\(escape(title))</h1>
            <p>\(trials.count) trials (trial 0: the defaults, not drawn). Each line is a drawn trial at its first-rung validation
            accuracy, darker when better; the best trial of the study (after every rung) is orange.</p>
            \(svg)
            <h2>Parameter importance</h2>
            <table><tr><th>parameter</th><th>importance</th><th>measure</th></tr>\(rows)</table>
            </body></html>
            """
    }

    /// |Spearman| of value against accuracy for numeric parameters; best minus worst option mean for choices.
    static func importance(space: SearchSpace, trials: [HyperparameterSearch.Trial],
                           accuracy: (HyperparameterSearch.Trial) -> Double) -> [(String, Double, String)] {
        space.parameters.map { parameter in
            if case .choice(let options) = parameter.distribution {
                let means = options.compactMap { option -> Double? in
                    let chosen = trials.filter { $0.values[parameter.name] == option }.map(accuracy)
                    return chosen.isEmpty ? nil : chosen.reduce(0, +) / Double(chosen.count)
                }
                return (parameter.name, (means.max() ?? 0) - (means.min() ?? 0), "spread of option means")
            }
            let values = trials.map { Double($0.values[parameter.name] ?? "") ?? 0 }
            return (parameter.name, abs(spearman(values, trials.map(accuracy))), "|rank correlation|")
        }
    }

    /// Spearman's rank correlation (average ranks for ties); 0 when either side is constant.
    static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        func ranks(_ values: [Double]) -> [Double] {
            let order = values.indices.sorted { values[$0] < values[$1] }
            var result = [Double](repeating: 0, count: values.count)
            var start = 0
            while start < order.count {
                var end = start
                while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
                for position in start...end { result[order[position]] = Double(start + end) / 2 }
                start = end + 1
            }
            return result
        }
        guard x.count == y.count, x.count > 1 else { return 0 }
        let (rx, ry) = (ranks(x), ranks(y))
        let (mx, my) = (rx.reduce(0, +) / Double(rx.count), ry.reduce(0, +) / Double(ry.count))
        var covariance = 0.0, vx = 0.0, vy = 0.0
        for index in rx.indices {
            covariance += (rx[index] - mx) * (ry[index] - my)
            vx += (rx[index] - mx) * (rx[index] - mx)
            vy += (ry[index] - my) * (ry[index] - my)
        }
        return vx > 0 && vy > 0 ? covariance / (vx * vy).squareRoot() : 0
    }

    static func bounds(_ distribution: SearchSpace.Distribution) -> (String, String) {
        switch distribution {
        case let .uniform(a, b), let .logUniform(a, b): return (SearchSpace.format(a), SearchSpace.format(b))
        case let .intUniform(a, b): return (String(a), String(b))
        case let .choice(options): return (options.first ?? "", options.last ?? "")
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
