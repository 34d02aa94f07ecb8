import Foundation
import PLHBase
import PLHLoad
import PLHModel

/// The reference files shipped with PLH Bilan (`Donnees/`, see its README for origin and licence).
public enum ReferenceData {
    /// The DGCL file of EPCIs and their member communes, with populations.
    public static func dgclCommunes() throws(BilanError) -> URL { try folder().appendingPathComponent("epcicom2026_dgcl.csv") }
    /// The INSEE geographic code (COG), whose `COMD`/`COMA`/`ARM` rows give old codes and their parent.
    public static func cogCommunes() throws(BilanError) -> URL { try folder().appendingPathComponent("insee_cog_2026_communes.csv") }

    /// The file given, or else the shipped one.
    static func file(_ given: URL?, orShipped shipped: () throws(BilanError) -> URL) throws(BilanError) -> URL {
        if let given { return given }
        return try shipped()
    }

    /// The shipped `Donnees/` folder; a French error when the installation lacks it.
    static func folder() throws(BilanError) -> URL { try InstalledResources.folder("Donnees", of: "PLHImport") }
}

/// The day an import happened: today in UTC, or the day of the settings' fixed time (`SOURCE_DATE_EPOCH` for
/// the command line), so that tests and reproducible runs write the same `sources.csv`.
public func importDate(settings: RunSettings) -> CalendarDate {
    var seconds = time_t(settings.sourceDateEpoch ?? Int(Date().timeIntervalSince1970))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    return CalendarDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))!
}

/// The bytes of a file given on the command line; a missing file is an input error naming it.
func readInputFile(_ path: String) throws(BilanError) -> [UInt8] {
    try ProjectFolder.readFile(atPath: path, display: path)
}

/// A CSV file's header mapped to the columns a reader wants; errors are thrown, unknown columns ignored.
func header(_ record: CSVRecord?, path: String, delimiter: Character, required: [String],
            optional: [String] = []) throws(BilanError) -> CSVTable {
    var diagnostics = Diagnostics()
    let table = CSVTable(header: record, path: path, delimiter: delimiter, required: required, optional: optional,
                         diagnostics: &diagnostics)
    try diagnostics.throwIfErrors()
    return table
}
