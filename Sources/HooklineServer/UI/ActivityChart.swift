import HooklineCore

/// The webhook page's chart as SVG, drawn here: attempts per hour stacked by outcome, and the
/// median and 99th-percentile durations as lines on their own scale. Presentation attributes
/// only (no style), so the page's Content-Security-Policy needs no exception.
enum ActivityChart {
    static func svg(_ activity: HourlyActivity) -> String {
        let (width, height, left, right, top, bottom) = (720.0, 220.0, 44.0, 56.0, 12.0, 28.0)
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let slot = plotWidth / Double(max(1, activity.hours.count))
        let maxCount = max(1, activity.hours.map { $0.succeeded + $0.failed }.max() ?? 1)
        let maxDuration = max(1, activity.hours.compactMap(\.p99).max() ?? 1)
        func y(count: Int) -> Double { top + plotHeight - plotHeight * Double(count) / Double(maxCount) }
        func y(ms: Int) -> Double { top + plotHeight - plotHeight * Double(ms) / Double(maxDuration) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }

        let totals = activity.total
        var svg = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">
            <title id="chart-title">Last 24 hours: \(totals.succeeded) attempts taken, \(totals.failed) failed</title>
            <line x1="\(left)" y1="\(top + plotHeight)" x2="\(left + plotWidth)" y2="\(top + plotHeight)" stroke="#9aa3af"/>
            <text x="\(number(left - 6))" y="\(number(top + 8))" text-anchor="end" font-size="11" fill="#5b6675">\(maxCount)</text>
            <text x="\(number(left - 6))" y="\(number(top + plotHeight))" text-anchor="end" font-size="11" fill="#5b6675">0</text>
            <text x="\(number(left + plotWidth + 6))" y="\(number(top + 8))" font-size="11" fill="#5b6675">\(maxDuration) ms</text>

            """
        for (index, hour) in activity.hours.enumerated() {
            let x = left + Double(index) * slot + slot * 0.15
            let barWidth = slot * 0.7
            let label = "\(Pages.time(hour.start).dropFirst(11).prefix(5)): \(hour.succeeded) taken, \(hour.failed) failed"
                + (hour.p50.map { ", p50 \($0) ms" } ?? "") + (hour.p99.map { ", p99 \($0) ms" } ?? "")
            svg += "<g><title>\(label)</title>"
            if hour.succeeded > 0 {
                svg += "<rect class=\"ok\" x=\"\(number(x))\" y=\"\(number(y(count: hour.succeeded)))\" width=\"\(number(barWidth))\" height=\"\(number(top + plotHeight - y(count: hour.succeeded)))\" fill=\"#16794a\"/>"
            }
            if hour.failed > 0 {
                let base = y(count: hour.succeeded)
                let tip = y(count: hour.succeeded + hour.failed)
                svg += "<rect class=\"failed\" x=\"\(number(x))\" y=\"\(number(tip))\" width=\"\(number(barWidth))\" height=\"\(number(base - tip))\" fill=\"#b3261e\"/>"
            }
            svg += "</g>"
            if index % 6 == 0 {
                svg += "<text x=\"\(number(x))\" y=\"\(number(height - 8))\" font-size=\"11\" fill=\"#5b6675\">\(Pages.time(hour.start).dropFirst(11).prefix(5))</text>"
            }
        }
        for (key, color, dash) in [(\HourlyActivity.Hour.p50, "#1f5fd1", ""), (\HourlyActivity.Hour.p99, "#8a5a00", " stroke-dasharray=\"4 3\"")] {
            let points = activity.hours.enumerated().compactMap { index, hour in
                hour[keyPath: key].map { "\(number(left + (Double(index) + 0.5) * slot)),\(number(y(ms: $0)))" }
            }
            guard !points.isEmpty else { continue }
            svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>"
        }
        return svg + "\n</svg>"
    }
}
