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
        /// The project, or the errors that keep it from being rendered. When the loader kept the production rows
        /// packed, each read makes the EPCI's records: read it once, where the project is rendered.
        public var project: Result<Project, BilanError> {
            guard let (production, epci) = packed, case .success(var project) = projectWithoutProduction else {
                return projectWithoutProduction
            }
            project.production = production.records(of: epci)
            return .success(project)
        }
        /// The project with every field but its production rows (which may be left empty), for what needs its EPCI,
        /// plan, bilan or segments and not its rows: an EPCI a re-run does not render.
        public var projectWithoutProduction: Result<Project, BilanError>
        /// The packed rows and the EPCI's place among them, when the loader kept them so.
        var packed: (production: PackedProduction, epci: Int)?
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
