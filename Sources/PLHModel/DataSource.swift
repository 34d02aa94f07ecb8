/// The three parts of a Sitadel permit's dwellings that an import can tell apart.
public enum SitadelBucket: String, CaseIterable, Sendable {
    /// `NB_LGT_PRET_LOC_SOCIAL`: dwellings financed by a social rental loan.
    case locatifSocial = "locatif_social"
    /// `NB_LGT_ACC_SOC_HORS_PTZ`: social ownership (PSLA, BRS…), without the PTZ.
    case accessionSociale = "accession_sociale"
    /// The rest of `NB_LGT_TOT_CREES`: free-market ownership and private rental.
    case libre
}

/// What kind of file an import read.
public enum SourceKind: String, CaseIterable, Sendable {
    /// The DGCL membership file `init` took the communes from.
    case communes
    /// A Sitadel file of permits creating dwellings.
    case sitadel
    /// A file of social-housing approvals (PLAI, PLUS, PLS), read through a column mapping.
    case agrements
}

/// One imported file, as `sources.csv` records it: enough to say where the figures come from and to
/// check that the file has not changed.
public struct SourceRecord: Hashable, Sendable {
    /// The identifier production rows carry in their `source` column: the imported file's name.
    public var identifier: String
    public var kind: SourceKind
    /// The file as it was named on import.
    public var file: String
    /// SHA-256 of the file's bytes, 64 lower-case hex digits.
    public var sha256: String
    public var importDate: CalendarDate
    /// The stage the file counts: `autorises`, `commences`, `acheves` (Sitadel) or `agrees` (approvals).
    public var stage: CountingStage?
    public var rowsRead: Int
    public var rowsKept: Int
    /// Rows about communes outside the EPCI, counted and not kept.
    public var outsideEPCI: Int
    /// Rows whose year is outside the plan, counted and not kept.
    public var outsidePeriod: Int

    public init(identifier: String, kind: SourceKind, file: String, sha256: String, importDate: CalendarDate,
                stage: CountingStage? = nil, rowsRead: Int, rowsKept: Int, outsideEPCI: Int = 0, outsidePeriod: Int = 0) {
        self.identifier = identifier
        self.kind = kind
        self.file = file
        self.sha256 = sha256
        self.importDate = importDate
        self.stage = stage
        self.rowsRead = rowsRead
        self.rowsKept = rowsKept
        self.outsideEPCI = outsideEPCI
        self.outsidePeriod = outsidePeriod
    }
}
