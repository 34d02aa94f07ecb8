import Foundation
import PLHModel
import PLHTestSupport
import Testing
@testable import PLHLoad

/// The DGCL file's fast reader gives what the general reader gives, row for row and message for message, or
/// steps aside for it.
struct DGCLFastPathTests {
    /// What one reader made of a file: its rows, its messages, and its vintage or the error it threw.
    static func outcome(_ text: String, fastPath: Bool) -> [String] {
        outcome(Array(text.utf8), fastPath: fastPath)
    }

    static func outcome(_ bytes: [UInt8], fastPath: Bool) -> [String] {
        var diagnostics = Diagnostics()
        var lines: [String] = []
        do {
            let table = try DGCLTable.read(bytes, path: "epcicom.csv", diagnostics: &diagnostics, fastPath: fastPath) { row in
                lines.append([row.siren, row.epciName, row.department, row.code, row.name, String(row.population),
                              "\(row.location.path):\(row.location.line ?? 0):\(row.location.column ?? 0)"].joined(separator: "|"))
            }
            lines.append("millésime \(table.vintage), \(table.rows) lignes")
        } catch {
            lines += error.diagnostics.map { "erreur levée : \($0.location.map { "\($0.line ?? 0):\($0.column ?? 0)" } ?? "") \($0.message)" }
        }
        lines += diagnostics.all.map { "\($0.severity) \($0.location.map { "\($0.line ?? 0):\($0.column ?? 0)" } ?? "") \($0.message)" }
        return lines
    }

    static let header = "dept,siren,raison_sociale,insee,nom_membre,pmun_2025\n"

    @Test func theNationalFileTakesTheFastPathAndReadsAlike() throws {
        let url = TestProject.repositoryRoot.appendingPathComponent("Sources/PLHImport/Donnees/epcicom2026_dgcl.csv")
        let bytes = [UInt8](try Data(contentsOf: url))
        let fast = try DGCLTable.fastRead(bytes, path: "epcicom.csv", encoding: nil, delimiter: ",")
        #expect(fast?.rows.count == 34_871)
        let general = Self.outcome(bytes, fastPath: false)
        #expect(general.count > 34_871)
        #expect(Self.outcome(bytes, fastPath: true) == general)
        // Quoted names with doubled quotes are in the file, and read as the general reader reads them.
        #expect(general.contains { $0.contains("CC Alpes-Provence-Verdon \"Sources de lumière\"") })
    }

    /// Files the fast reader reads itself: both readers agree.
    @Test(arguments: [
        header + "01,200029999,\"CC \"\"Rives\"\" de l'Ain\",01304,Pont-d'Ain,2862\n01,200029999,\"CC \"\"Rives\"\" de l'Ain\",\"01199\",Jujurieux,2209\n",
        header.replacingOccurrences(of: "\n", with: "\r\n") + "01,200029999,CC A,01304,Pont-d'Ain,2862\r\n01,200029999,CC A,01199,Jujurieux,2209\r\n",
        "\u{FEFF}" + header + "2A,200000001,CA du Pays Ajaccien,2a004,Ajaccio,73000\n",
        header + "01,200029999,CC A,1304,Pont-d'Ain,2862\n01,200029999,CC A,1199,Jujurieux,2209\n",
        header + "01,200029999,  CC Àé  ,01304,  Saint-André\u{00A0},2862\n\n01,200029999,CC Àé,01199,Écrouves ,0\n\n",
        header.replacingOccurrences(of: ",", with: ";") + "01;200029999;CC A, B;01304;Pont-d'Ain;2862\n",
        header.replacingOccurrences(of: ",", with: "\t") + "01\t200029999\tCC A\t01304\tPont-d'Ain\t2862",
        header,
    ])
    func plainFilesReadAlike(_ text: String) throws {
        #expect(try DGCLTable.fastRead(Array(text.utf8), path: "epcicom.csv", encoding: nil,
                                       delimiter: Character(Unicode.Scalar(CSVDocument.detectDelimiter(Array(text.utf8))))) != nil)
        #expect(Self.outcome(text, fastPath: true) == Self.outcome(text, fastPath: false))
    }

    /// Files with a line the fast reader does not read: it steps aside, and the messages are the general reader's.
    @Test(arguments: [
        header + "01,200029999,CC A,01304,Pont-d'Ain\n",
        header + "01,200029999,CC A,0130X,Pont-d'Ain,2862\n",
        header + "01,200029999,CC A,01304,Pont-d'Ain,2 862\n",
        header + "01,200029999,CC A,01304,Pont-d'Ain,\n",
        header + "01,200029999,CC A,01304,Pont-d'Ain,999999999999\n",
        header + "01,200029999,CC A,01304,Pont-d'Ain,2862\r01,200029999,CC A,01199,Jujurieux,2209\n",
        header + "01,200029999,CC \"A\",01304,Pont-d'Ain,2862\n",
        header + "01,200029999,\"CC\nA\",01304,Pont-d'Ain,2862\n",
        header + "01,200029999,\"CC A\"x,01304,Pont-d'Ain,2862\n",
        header + ",,,,,\n01,200029999,CC A,01304,Pont-d'Ain,2862\n",
        header + "01,200029999,CC A,01304,Pont-d'Ain,\"2862\"\n",
        "\n" + header + "01,200029999,CC A,01304,Pont-d'Ain,2862\n",
        "dept,siren,raison_sociale,insee,nom_membre\n01,200029999,CC A,01304,Pont-d'Ain\n",
        "",
    ])
    func otherFilesGoThroughTheGeneralReader(_ text: String) throws {
        let delimiter = Character(Unicode.Scalar(CSVDocument.detectDelimiter(Array(text.utf8))))
        let fast = try? DGCLTable.fastRead(Array(text.utf8), path: "epcicom.csv", encoding: nil, delimiter: delimiter)
        #expect(fast == nil)
        #expect(Self.outcome(text, fastPath: true) == Self.outcome(text, fastPath: false))
    }
}
