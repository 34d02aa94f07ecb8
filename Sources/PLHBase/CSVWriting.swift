import Foundation

/// A field of the CSV files PLH Bilan writes into a project (`production.csv`, `sources.csv`, `permis.csv`,
/// `communes.csv` from `init`): quoted when it holds a separator, a quote or a line break.
///
/// The annexes for spreadsheets have their own writer (PLHRender's `Annexes`), which also neutralises formulas.
public func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
