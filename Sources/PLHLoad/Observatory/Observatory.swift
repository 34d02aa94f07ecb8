import PLHModel

/// Observatory input: many EPCIs at once, from the DGCL membership file and shared tables.
public struct Observatory: Sendable {
    /// One EPCI with a PLH: its project, or the errors that keep it from being rendered.
    public struct Entry: Sendable {
        public var siren: String
        public var name: String
        /// Département of the EPCI's seat (DGCL `dept`).
        public var department: String
        /// Every département its communes belong to.
        public var departments: [String]
        /// The grouping the observatory defines (a PDH sector...), if any.
        public var group: String?
        public var project: Result<Project, BilanError>
        /// The input rows this EPCI was made from, for incremental runs: same fingerprint, same bilan.
        public var fingerprint: String
        /// What is possible but suspicious in this EPCI's rows (a plan that does not last six years…).
        public var warnings: [Diagnostic] = []
    }

    public var entries: [Entry]
    /// Label of the grouping column (« Secteur du PDH »), if the observatory defines one.
    public var groupLabel: String?
    /// Problems that concern no single EPCI (a commune outside every EPCI, an unknown SIREN).
    public var warnings: [Diagnostic]
    /// Files read, relative to the observatory folder.
    public var inputFiles: [String]
}

/// A rule that puts a commune in a category when the EPCI has no typology table.
public struct PopulationBand: Hashable, Sendable {
    public var category: Category
    public var minimum: Int
}
