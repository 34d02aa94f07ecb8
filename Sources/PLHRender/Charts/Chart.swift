/// A chart of the bilan: an accessible SVG and the same figures as a table.
public struct Chart: Sendable {
    public var id: String
    public var title: String
    /// What the chart shows, in words, for screen readers.
    public var description: String
    public var svg: String
    public var headers: [String]
    public var rows: [(label: String, values: [String])]
}
