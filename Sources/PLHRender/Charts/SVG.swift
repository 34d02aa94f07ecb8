import PLHBase
/// A small SVG writer: every text is escaped, every number printed with at most one decimal.
/// Elements are appended as bytes to one buffer as they come (a national batch draws thousands of charts).
struct SVG {
    private var body = ByteBuffer(capacity: 8192)

    init() {}

    static func escape(_ text: String) -> String {
        var bytes = text
        if !bytes.withUTF8({ $0.contains { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 } }) { return text }
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// `12`, `12.5`, `-0.1`: the value rounded to a tenth (half away from zero), as `String(Double)` would print it.
    static func n(_ value: Double) -> String {
        var bytes = ByteBuffer(capacity: 16)
        appendNumber(value, to: &bytes)
        return String(decoding: bytes.finish(), as: UTF8.self)
    }

    static func appendNumber(_ value: Double, to bytes: inout ByteBuffer) {
        let tenths = Int((value * 10).rounded())
        if tenths < 0 { bytes.append(0x2D) }
        French.appendDigits(ofMagnitude: tenths.magnitude / 10, to: &bytes)
        if tenths.magnitude % 10 != 0 {
            bytes.append(0x2E)
            bytes.append(0x30 + UInt8(tenths.magnitude % 10))
        }
    }

    private mutating func add(_ literal: StaticString) {
        body.append(literal)
    }

    private mutating func add(_ text: String) {
        body.append(text)
    }

    /// ` name="value"` with the value as `n` prints it (`name` given with its leading space and `="`).
    private mutating func attribute(_ nameAndEquals: StaticString, _ value: Double) {
        add(nameAndEquals)
        Self.appendNumber(value, to: &body)
        body.append(0x22)
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
                       pattern: String? = nil) {
        rectElement(x: x, y: y, width: width, height: height, fill: fill, stroke: stroke)
        if let pattern { rectElement(x: x, y: y, width: width, height: height, fill: "url(#\(pattern))", stroke: nil) }
    }

    private mutating func rectElement(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String?) {
        add("<rect")
        attribute(" x=\"", x)
        attribute(" y=\"", y)
        attribute(" width=\"", max(width, 0))
        attribute(" height=\"", height)
        add(" fill=\"")
        add(fill)
        body.append(0x22)
        if let stroke {
            add(" stroke=\"")
            add(stroke)
            add("\" stroke-width=\"1\"")
        }
        add("/>")
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, dashed: Bool = false, width: Double = 1) {
        add("<line")
        attribute(" x1=\"", x1)
        attribute(" y1=\"", y1)
        attribute(" x2=\"", x2)
        attribute(" y2=\"", y2)
        add(" stroke=\"")
        add(stroke)
        body.append(0x22)
        attribute(" stroke-width=\"", width)
        if dashed { add(" stroke-dasharray=\"4 3\"") }
        add("/>")
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ content: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12,
                       fill: String = "#1e1e1e", bold: Bool = false) {
        add("<text")
        attribute(" x=\"", x)
        attribute(" y=\"", y)
        switch anchor {
        case .start: add(" text-anchor=\"start\"")
        case .middle: add(" text-anchor=\"middle\"")
        case .end: add(" text-anchor=\"end\"")
        }
        attribute(" font-size=\"", size)
        add(" fill=\"")
        add(fill)
        body.append(0x22)
        if bold { add(" font-weight=\"bold\"") }
        body.append(0x3E)
        add(Self.escape(French.typography(content)))
        add("</text>")
    }

    /// The finished `<svg>` element's UTF-8 bytes, accessible as one image with a title and a description.
    func render(id: String, width: Double, height: Double, title: String, description: String, patterns: Bool) -> [UInt8] {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graphique\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" role=\"img\" aria-labelledby=\"\(id)-titre \(id)-desc\">"
        out += "<title id=\"\(id)-titre\">\(Self.escape(French.typography(title)))</title><desc id=\"\(id)-desc\">\(Self.escape(French.typography(description)))</desc>"
        if patterns {
            out += "<defs><pattern id=\"\(id)-hachures\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            out += "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#ffffff\" stroke-width=\"2\" stroke-opacity=\"0.55\"/></pattern></defs>"
        }
        var bytes = ByteBuffer(capacity: out.utf8.count + body.count + 6)
        bytes.append(out)
        bytes.append(body)
        bytes.append("</svg>" as StaticString)
        return bytes.finish()
    }
}

/// Fills for segments: colour-blind-safe hues of clearly different lightness, every other one hatched,
/// so that they stay apart in grey print; `ink` is the label colour with enough contrast on the fill.
enum Palette {
    struct Swatch {
        var fill: String
        var ink: String
        var hatched: Bool
    }

    static let segments: [Swatch] = [
        Swatch(fill: "#002b5c", ink: "#ffffff", hatched: false),
        Swatch(fill: "#0072b2", ink: "#ffffff", hatched: true),
        Swatch(fill: "#d55e00", ink: "#000000", hatched: false),
        Swatch(fill: "#e69f00", ink: "#000000", hatched: true),
        Swatch(fill: "#f5e08c", ink: "#000000", hatched: false),
        Swatch(fill: "#6b6b6b", ink: "#ffffff", hatched: true),
        Swatch(fill: "#cc79a7", ink: "#000000", hatched: false),
        Swatch(fill: "#c9dcef", ink: "#000000", hatched: true),
    ]

    static func segment(_ index: Int) -> Swatch { segments[index % segments.count] }

    static let axis = "#5c5c5c"
    static let grid = "#dddddd"
}

/// Round steps for an axis going up to `maximum`: 1, 2 or 5 times a power of ten.
func axisStep(_ maximum: Double, ticks: Int = 5) -> Double {
    guard maximum > 0 else { return 1 }
    let raw = maximum / Double(ticks)
    var power = 1.0
    while power * 10 <= raw { power *= 10 }
    while power > raw { power /= 10 }
    for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= raw { return factor * power }
    return 10 * power
}
