/// A chart of the bilan: an accessible SVG and the same figures as a table.
public struct Chart: Sendable {
    public var id: String
    public var title: String
    /// What the chart shows, in words, for screen readers.
    public var description: String
    /// The SVG element's UTF-8 bytes, as the document gets them.
    public var svgBytes: [UInt8]
    /// The SVG element as text.
    public var svg: String { String(decoding: svgBytes, as: UTF8.self) }
    public var headers: [String]
    public var rows: [(label: String, values: [String])]
}
