import PLHCompute
import PLHBase
import PLHModel

/// The bilan's charts, drawn as inline SVG: no script, no image file, French numbers.
enum Charts {
    static let width = 720.0
    static let labelWidth = 190.0
    static let plotRight = 650.0

    /// Draws a legend row of swatches from `y`; returns the height used.
    static func legend(_ svg: inout SVG, _ items: [(label: String, swatch: Palette.Swatch, outlined: Bool)], id: String,
                       y: Double) -> Double {
        var x = 10.0, row = 0.0
        for item in items {
            let itemWidth = 22 + Double(item.label.count) * 6.6 + 18
            if x + itemWidth > Self.width && x > 10 { x = 10; row += 20 }
            svg.rect(x: x, y: y + row, width: 14, height: 14, fill: item.swatch.fill,
                     stroke: item.outlined ? "#002b5c" : nil, pattern: item.swatch.hatched ? "\(id)-hachures" : nil)
            svg.text(item.label, x: x + 20, y: y + row + 11.5)
            x += itemWidth
        }
        return row + 28
    }

    /// Splits a long label into two lines at the space nearest its middle.
    static func lines(_ label: String, limit: Int = 20) -> [String] {
        guard label.count > limit else { return [label] }
        let spaces = label.indices.filter { label[$0] == " " }
        guard let cut = spaces.min(by: { abs(label.distance(from: label.startIndex, to: $0) - label.count / 2)
                                        < abs(label.distance(from: label.startIndex, to: $1) - label.count / 2) }) else { return [label] }
        return [String(label[..<cut]), String(label[label.index(after: cut)...])]
    }

    static func unitLabel(_ svg: inout SVG, _ label: String, centreY: Double) {
        let parts = lines(label)
        for (i, part) in parts.enumerated() {
            svg.text(part, x: labelWidth - 8, y: centreY + 4 + (Double(i) - Double(parts.count - 1) / 2) * 14, anchor: .end, bold: true)
        }
    }

    /// Vertical grid lines and tick labels for a horizontal axis from 0 to `maximum`.
    static func horizontalAxis(_ svg: inout SVG, maximum: Double, top: Double, bottom: Double,
                               format: (Double) -> String) {
        let step = axisStep(maximum)
        var value = 0.0
        while value <= maximum + step / 1000 {
            let x = labelWidth + (plotRight - labelWidth) * value / maximum
            svg.line(x1: x, y1: top, x2: x, y2: bottom, stroke: Palette.grid)
            svg.text(format(value), x: x, y: bottom + 14, anchor: .middle, size: 11, fill: Palette.axis)
            value += step
        }
        svg.line(x1: labelWidth, y1: top, x2: labelWidth, y2: bottom, stroke: Palette.axis)
    }

    // MARK: Production against objectives

    /// Three bars per unit: plan objective, prorated objective, production.
    static func productionAgainstObjectives(id: String, units: [(label: String, figures: Figures)], stage: String,
                                            years: String) -> Chart {
        // The categories' chart says so even with one category: two charts of a page never share a name.
        let title = "Production et objectifs" + (id == "graphique-epci" ? "" : " par catégorie")
        let bars: [(label: String, swatch: Palette.Swatch, outlined: Bool)] = [
            ("Objectif du PLH", Palette.Swatch(fill: "#ffffff", ink: "#000000", hatched: false), true),
            ("Objectif à date", Palette.Swatch(fill: "#7f9cc4", ink: "#000000", hatched: true), false),
            ("Production", Palette.Swatch(fill: "#002b5c", ink: "#ffffff", hatched: false), false),
        ]
        var svg = SVG()
        let top = legend(&svg, bars, id: id, y: 8) + 10
        let maximum = units.map { max($0.figures.planObjective ?? 0, Double($0.figures.production)) }.max() ?? 0
        let scale = maximum > 0 ? axisStep(maximum) * (maximum / axisStep(maximum)).rounded(.up) : 1
        let barHeight = 14.0, group = 3 * barHeight + 4 + 18
        let bottom = top + Double(units.count) * group
        horizontalAxis(&svg, maximum: scale, top: top - 4, bottom: bottom, format: { French.integer(Int($0)) })
        for (i, unit) in units.enumerated() {
            let y0 = top + Double(i) * group
            unitLabel(&svg, unit.label, centreY: y0 + 1.5 * barHeight + 2)
            let values: [Double?] = [unit.figures.planObjective, unit.figures.proratedObjective, Double(unit.figures.production)]
            for (j, value) in values.enumerated() {
                let y = y0 + Double(j) * (barHeight + 2)
                guard let value else {
                    svg.text("sans objectif", x: labelWidth + 4, y: y + 11, size: 11, fill: Palette.axis)
                    continue
                }
                let w = (plotRight - labelWidth) * value / scale
                svg.rect(x: labelWidth, y: y, width: w, height: barHeight, fill: bars[j].swatch.fill,
                         stroke: bars[j].outlined ? "#002b5c" : nil, pattern: bars[j].swatch.hatched ? "\(id)-hachures" : nil)
                svg.text(French.number(value, decimals: 0), x: labelWidth + w + 4, y: y + 11, size: 11)
            }
        }
        let description = units.map { u in
            "\(u.label) : production \(French.integer(u.figures.production)), objectif du PLH "
                + (u.figures.planObjective.map { French.number($0, decimals: 0) } ?? "non fixé")
                + ", objectif à date " + (u.figures.proratedObjective.map { French.number($0, decimals: 0) } ?? "non fixé")
        }.joined(separator: " ; ") + "."
        return Chart(id: id, title: "\(title) (\(stage), \(years))", description: description,
                     svgBytes: svg.render(id: id, width: width, height: bottom + 24, title: title, description: description, patterns: true),
                     headers: ["Objectif du PLH", "Objectif à date", "Production", "Réalisation de l'objectif du PLH"],
                     rows: units.map { u in (u.label, [
                         u.figures.planObjective.map { French.number($0) } ?? "—",
                         u.figures.proratedObjective.map { French.number($0) } ?? "—",
                         French.integer(u.figures.production),
                         u.figures.rateAgainstPlan.map { French.percent($0) } ?? "sans objectif",
                     ]) })
    }

    // MARK: Segment shares

    /// For each unit, two 100 % bars: the segments' shares of the objectives, then of production.
    /// `slots` gives each segment's place in the palette (the synthesis' families take their segments' colours);
    /// by default a segment's colour is its position.
    static func segmentShares(id: String, units: [(label: String, figures: UnitFigures)], segments: [Segment],
                              slots: [Int]? = nil) -> Chart {
        let title = "Part de chaque segment dans les objectifs et dans la production"
        let slots = slots ?? Array(segments.indices)
        var svg = SVG()
        let top = legend(&svg, segments.enumerated().map { ($1.label, Palette.segment(slots[$0]), false) }, id: id, y: 8) + 10
        let barHeight = 18.0, header = 18.0, group = header + 2 * barHeight + 4 + 12
        let bottom = top + Double(units.count) * group
        horizontalAxis(&svg, maximum: 1, top: top - 4, bottom: bottom, format: { French.percent($0) })
        for (i, unit) in units.enumerated() {
            let y0 = top + Double(i) * group
            svg.text(unit.label, x: labelWidth + 2, y: y0 + 12, bold: true)
            for (j, row) in ["Objectifs", "Production"].enumerated() {
                let y = y0 + header + Double(j) * (barHeight + 4)
                svg.text(row, x: labelWidth - 8, y: y + 13, anchor: .end, size: 11, fill: Palette.axis)
                var x = labelWidth
                let shares = unit.figures.bySegment.map { j == 0 ? $0.figures.shareOfObjective : $0.figures.shareOfProduction }
                if shares.allSatisfy({ $0 == nil }) {
                    svg.text(j == 0 ? "sans objectif" : "aucune production", x: labelWidth + 4, y: y + 13, size: 11, fill: Palette.axis)
                    continue
                }
                for (k, share) in shares.enumerated() {
                    guard let share, share > 0 else { continue }
                    let w = (plotRight - labelWidth) * share
                    let swatch = Palette.segment(slots[k])
                    svg.rect(x: x, y: y, width: w, height: barHeight, fill: swatch.fill,
                             pattern: swatch.hatched ? "\(id)-hachures" : nil)
                    if w >= 30 {
                        svg.text(French.percent(share), x: x + w / 2, y: y + 13, anchor: .middle, size: 10.5, fill: swatch.ink)
                    }
                    x += w
                }
            }
        }
        let description = units.map { u in
            "\(u.label) : " + u.figures.bySegment.map { s in
                "\(s.segment.label) \(s.figures.shareOfProduction.map { French.percent($0) } ?? "—") de la production pour "
                    + "\(s.figures.shareOfObjective.map { French.percent($0) } ?? "—") des objectifs"
            }.joined(separator: ", ")
        }.joined(separator: " ; ") + "."
        var rows: [(String, [String])] = []
        for u in units {
            for s in u.figures.bySegment {
                rows.append(("\(u.label) – \(s.segment.label)", [
                    s.figures.shareOfObjective.map { French.percent($0) } ?? "—",
                    s.figures.shareOfProduction.map { French.percent($0) } ?? "—",
                ]))
            }
        }
        return Chart(id: id, title: title, description: description,
                     svgBytes: svg.render(id: id, width: width, height: bottom + 24, title: title, description: description, patterns: true),
                     headers: ["Part dans les objectifs", "Part dans la production"], rows: rows)
    }

    // MARK: Production per year

    /// One column per counted year, stacked by segment, with its total on top.
    static func productionByYear(id: String, records: [ProductionRecord], years: [Int], segments: [Segment],
                                 stage: String) -> Chart {
        let title = "Production par année et par segment"
        // counts[year's index][segment's index]; records of other years or segments are left out.
        let firstYear = years.min() ?? 0
        var yearSlot = [Int?](repeating: nil, count: (years.max() ?? firstYear - 1) - firstYear + 1)
        for (i, year) in years.enumerated() where yearSlot[year - firstYear] == nil { yearSlot[year - firstYear] = i }
        let segmentIndex = SegmentIndex(segments)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: segments.count), count: years.count)
        for r in records {
            guard r.year >= firstYear, r.year - firstYear < yearSlot.count, let y = yearSlot[r.year - firstYear],
                  let k = segmentIndex[r.segment] else { continue }
            counts[y][k] += r.dwellings
        }
        let totals = counts.map { $0.reduce(0, +) }
        var svg = SVG()
        let top = legend(&svg, segments.enumerated().map { ($1.label, Palette.segment($0), false) }, id: id, y: 8) + 24
        let plotHeight = 220.0, left = 70.0, right = width - 20
        let bottom = top + plotHeight
        let maximum = Double(totals.max() ?? 0)
        let step = axisStep(max(maximum, 1))
        let scale = max(step * (max(maximum, 1) / step).rounded(.up), step)
        var value = 0.0
        while value <= scale + step / 1000 {
            let y = bottom - plotHeight * value / scale
            svg.line(x1: left, y1: y, x2: right, y2: y, stroke: Palette.grid)
            svg.text(French.integer(Int(value)), x: left - 6, y: y + 4, anchor: .end, size: 11, fill: Palette.axis)
            value += step
        }
        let slot = (right - left) / Double(max(years.count, 1))
        let columnWidth = min(70, slot * 0.6)
        for (i, year) in years.enumerated() {
            let x = left + slot * (Double(i) + 0.5) - columnWidth / 2
            var y = bottom
            for k in segments.indices {
                let n = counts[i][k]
                guard n > 0 else { continue }
                let h = plotHeight * Double(n) / scale
                let swatch = Palette.segment(k)
                svg.rect(x: x, y: y - h, width: columnWidth, height: h, fill: swatch.fill, pattern: swatch.hatched ? "\(id)-hachures" : nil)
                if h >= 14 {
                    svg.text(French.integer(n), x: x + columnWidth / 2, y: y - h / 2 + 4, anchor: .middle, size: 10.5, fill: swatch.ink)
                }
                y -= h
            }
            svg.text(French.integer(totals[i]), x: x + columnWidth / 2, y: y - 6, anchor: .middle, size: 12, bold: true)
            svg.text(String(year), x: x + columnWidth / 2, y: bottom + 16, anchor: .middle, size: 12)
        }
        svg.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: Palette.axis)
        svg.text("logements", x: left - 6, y: top - 12, anchor: .end, size: 11, fill: Palette.axis)
        let description = years.enumerated().map { i, year in
            "\(year) : \(French.integer(totals[i])) logements (" + segments.enumerated().map { k, s in
                "\(s.label) \(French.integer(counts[i][k]))"
            }.joined(separator: ", ") + ")"
        }.joined(separator: " ; ") + "."
        return Chart(id: id, title: "\(title) (\(stage))", description: description,
                     svgBytes: svg.render(id: id, width: width, height: bottom + 28, title: title, description: description, patterns: true),
                     headers: segments.map(\.label) + ["Total"],
                     rows: years.enumerated().map { i, year in
                         (String(year), counts[i].map(French.integer) + [French.integer(totals[i])])
                     })
    }

    // MARK: Rates

    /// One bar per unit: its rate against the plan objective, with the 100 % line.
    static func rates(id: String, title: String, units: [(label: String, rate: Double)]) -> Chart {
        var svg = SVG()
        let top = 12.0, barHeight = 12.0, step = 17.0
        let bottom = top + Double(units.count) * step
        let maximum = max(1, (units.map(\.rate).max() ?? 1))
        let scale = axisStep(maximum) * (maximum / axisStep(maximum)).rounded(.up)
        horizontalAxis(&svg, maximum: scale, top: top - 4, bottom: bottom, format: { French.percent($0) })
        let hundred = labelWidth + (plotRight - labelWidth) / scale
        svg.line(x1: hundred, y1: top - 4, x2: hundred, y2: bottom, stroke: "#b34000", dashed: true, width: 1.5)
        for (i, unit) in units.enumerated() {
            let y = top + Double(i) * step
            svg.text(unit.label, x: labelWidth - 8, y: y + 10, anchor: .end, size: 11)
            let w = (plotRight - labelWidth) * unit.rate / scale
            svg.rect(x: labelWidth, y: y, width: w, height: barHeight, fill: "#002b5c")
            svg.text(French.percent(unit.rate), x: labelWidth + w + 4, y: y + 10, size: 10.5)
        }
        let description = units.map { "\($0.label) : \(French.percent($0.rate))" }.joined(separator: " ; ") + "."
        return Chart(id: id, title: title, description: description,
                     svgBytes: svg.render(id: id, width: width, height: bottom + 24, title: title, description: description, patterns: false),
                     headers: ["Réalisation de l'objectif du PLH"], rows: units.map { ($0.label, [French.percent($0.rate)]) })
    }
}
