import Foundation
import HooklineCore

/// The webhook page's chart (`Templates/activity-chart.mustache`): attempts per hour stacked by
/// outcome, and the median and 99th-percentile durations as lines on their own scale. Presentation
/// attributes only (no style), so the page's Content-Security-Policy needs no exception. Numbers
/// are laid out here; the template only writes them.
struct ActivityChart {
    struct Axis { let x1, x2, y: String }
    struct Label { let x, y, text: String; var alignEnd = false }
    struct Bar { let x, y, width, height: String }
    struct Hour { let summary: String; let taken, failed: Bar?; let tick: Label? }
    struct Line { let points, color: String; let dashed: Bool }

    let width = 720, height = 220
    let title: String
    let axis: Axis
    let labels: [Label]
    let hours: [Hour]
    let lines: [Line]

    init(_ activity: HourlyActivity) {
        let (left, right, top, bottom, chartHeight) = (44.0, 56.0, 12.0, 28.0, Double(height))
        let plotWidth = Double(width) - left - right
        let plotHeight = chartHeight - top - bottom
        let slot = plotWidth / Double(max(1, activity.hours.count))
        let maxCount = max(1, activity.hours.map { $0.succeeded + $0.failed }.max() ?? 1)
        let maxDuration = max(1, activity.hours.compactMap(\.p99).max() ?? 1)
        func y(count: Int) -> Double { top + plotHeight - plotHeight * Double(count) / Double(maxCount) }
        func y(ms: Int) -> Double { top + plotHeight - plotHeight * Double(ms) / Double(maxDuration) }
        func bar(x: Double, from base: Double, to tip: Double) -> Bar {
            Bar(x: Self.number(x), y: Self.number(tip), width: Self.number(slot * 0.7), height: Self.number(base - tip))
        }

        title = "Last 24 hours: \(activity.total.succeeded) attempts taken, \(activity.total.failed) failed"
        axis = Axis(x1: Self.number(left), x2: Self.number(left + plotWidth), y: Self.number(top + plotHeight))
        labels = [
            Label(x: Self.number(left - 6), y: Self.number(top + 8), text: "\(maxCount)", alignEnd: true),
            Label(x: Self.number(left - 6), y: Self.number(top + plotHeight), text: "0", alignEnd: true),
            Label(x: Self.number(left + plotWidth + 6), y: Self.number(top + 8), text: "\(maxDuration) ms"),
        ]
        hours = activity.hours.enumerated().map { index, hour in
            let x = left + Double(index) * slot + slot * 0.15
            let clock = String(Pages.time(hour.start).dropFirst(11).prefix(5))
            let summary = "\(clock): \(hour.succeeded) taken, \(hour.failed) failed" + (hour.p50.map { ", p50 \($0) ms" } ?? "") + (hour.p99.map { ", p99 \($0) ms" } ?? "")
            return Hour(
                summary: summary,
                taken: hour.succeeded > 0 ? bar(x: x, from: top + plotHeight, to: y(count: hour.succeeded)) : nil,
                failed: hour.failed > 0 ? bar(x: x, from: y(count: hour.succeeded), to: y(count: hour.succeeded + hour.failed)) : nil,
                tick: index % 6 == 0 ? Label(x: Self.number(x), y: Self.number(chartHeight - 8), text: clock) : nil)
        }
        lines = [(\HourlyActivity.Hour.p50, "#1f5fd1", false), (\HourlyActivity.Hour.p99, "#8a5a00", true)].compactMap { key, color, dashed in
            let points = activity.hours.enumerated().compactMap { index, hour in
                hour[keyPath: key].map { "\(Self.number(left + (Double(index) + 0.5) * slot)),\(Self.number(y(ms: $0)))" }
            }
            return points.isEmpty ? nil : Line(points: points.joined(separator: " "), color: color, dashed: dashed)
        }
    }

    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}
