import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PLHBilan
import PLHTestSupport
import Testing
import ZIPFoundation
@testable import PLHServer

/// A file part of a multipart form, for the tests' browser.
struct FilePart {
    var field: String
    var name: String
    var bytes: [UInt8]
}

extension Browser {
    /// Posts a `multipart/form-data` form as a browser does, with the CSRF token of the page `from`.
    mutating func upload(_ uri: String, _ fields: [(String, String)], files: [FilePart], from page: String,
                         csrf: String? = nil) async throws -> TestResponse {
        var token = csrf ?? ""
        if csrf == nil { token = try await self.csrf(page) }
        return try await send(uri, method: .post, multipart: Multipart.body([("csrf", token)] + fields, files: files))
    }

    mutating func send(_ uri: String, method: HTTPRequest.Method, multipart: (contentType: String, body: [UInt8])) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: multipart.contentType]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        return try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(bytes: multipart.body))
    }
}

extension TestResponse {
    /// The page's text as a reader sees it: entities decoded, French no-break spaces as spaces.
    var plain: String {
        text.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "\u{00A0}", with: " ")
            .replacingOccurrences(of: "\u{202F}", with: " ")
    }
}

enum Multipart {
    static let boundary = "----plhbilan7MA4YWxkTrZu0gW"

    static func body(_ fields: [(String, String)], files: [FilePart]) -> (contentType: String, body: [UInt8]) {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return ("multipart/form-data; boundary=\(boundary)", body)
    }
}

/// A minimal `.xlsx` workbook with one sheet of text and number cells, as the library's reader reads them.
enum Workbook {
    static func xlsx(sheet: String, rows: [[String]]) throws -> [UInt8] {
        func column(_ index: Int) -> String { SpreadsheetDocument.columnName(index + 1) }
        var sheetXML = #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        for (r, row) in rows.enumerated() {
            sheetXML += #"<row r="\#(r + 1)">"#
            for (c, value) in row.enumerated() {
                let ref = column(c) + String(r + 1)
                if Int(value) != nil && !value.hasPrefix("0") {
                    sheetXML += #"<c r="\#(ref)"><v>\#(value)</v></c>"#
                } else {
                    let escaped = value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    sheetXML += #"<c r="\#(ref)" t="inlineStr"><is><t>\#(escaped)</t></is></c>"#
                }
            }
            sheetXML += "</row>"
        }
        sheetXML += "</sheetData></worksheet>"
        let parts: [(String, String)] = [
            ("[Content_Types].xml", #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>"#),
            ("_rels/.rels", #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="\#(sheet)" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
            ("xl/worksheets/sheet1.xml", sheetXML),
        ]
        let archive = try Archive(accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return Array(try #require(archive.data))
    }

    /// The rows of a `;` CSV text.
    static func rows(csv: String) -> [[String]] {
        csv.split(separator: "\n").map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
    }
}

extension Scenario {
    /// The example project of the CALL, zipped under a top folder as a user would zip it.
    static func callZip(changing changes: [String: String] = [:]) throws -> [UInt8] {
        let folder = URL(fileURLWithPath: TestProject.callExample)
        let archive = try Archive(accessMode: .create)
        for path in ProjectWorkspace.files(in: folder) {
            let data = try changes[path].map { Data($0.utf8) } ?? Data(contentsOf: folder.appendingPathComponent(path))
            try archive.addEntry(with: "call-2014-2020/" + path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return Array(try #require(archive.data))
    }

    /// An officer of the CALL with the example project opened from its zip; returns the browser and the project id.
    static func callOfficer(_ client: any TestClientProtocol, _ notices: Notices) async throws -> (Browser, Browser, String) {
        var admin = try await setUp(client, notices)
        let lens = try await createEPCI(&admin, siren: "246200364")
        var officer = try await invite(&admin, organisation: lens, role: .contributeur, name: "Bruno", email: "bruno@agglo-lenslievin.fr")
        let response = try await officer.upload("/projets/importer", [], files: [FilePart(field: "projet", name: "call-2014-2020.zip",
                                                                                           bytes: try callZip())],
                                                from: "/projets/nouveau")
        try #require(response.status == .seeOther, "\(response.text)")
        let id = String(try #require(response.location).dropFirst("/projets/".count))
        return (admin, officer, id)
    }
}

/// Issue 12, point 5: tables as CSV, .xlsx or .ods; imports shown before they are applied; a project from its zip.
@Suite struct UploadTests {
    static let example = URL(fileURLWithPath: TestProject.callExample)

    static func exampleText(_ name: String) throws -> String {
        try String(contentsOf: example.appendingPathComponent(name), encoding: .utf8)
    }

    /// The CLI's folder, zipped, opens as a project identical to the example; a project of another EPCI is refused.
    @Test func aZippedProjectOpensAsANewProject() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var (admin, officer, id) = try await Scenario.callOfficer(client, notices)
            let page = try await officer.get("/projets/\(id)").text
            #expect(page.contains("36 communes"))
            let loaded = try BilanEngine.load(server.folder.appendingPathComponent("projets/\(id)/1"))
            let example = try BilanEngine.load(Self.example)
            #expect(loaded.project == example.project)
            #expect(try await officer.get("/projets/\(id)/historique").text.contains("Ouverture de « call-2014-2020.zip »"))

            // Reims's officer cannot open the CALL's project as theirs.
            let reims = try await Scenario.createEPCI(&admin, siren: "200067213")
            var other = try await Scenario.invite(&admin, organisation: reims, role: .contributeur, name: "Denis", email: "d@reims.fr")
            let refused = try await other.upload("/projets/importer", [], files: [FilePart(field: "projet", name: "call.zip", bytes: try Scenario.callZip())],
                                                 from: "/projets/nouveau")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.plain.contains("pas celui de"))
            #expect(try await other.get("/projets").text.contains("Aucun bilan"))
        }
    }

    /// A zip that escapes its folder, or is no zip, is refused with a French reason; nothing is created.
    @Test func unsafeArchivesAreRefused() async throws {
        #expect(throws: ProjectArchive.Refusal.self) { try ProjectArchive.read(Array("pas un zip".utf8)) }
        let archive = try Archive(accessMode: .create)
        for path in ["projet/plh.yaml", "projet/../../etc/passwd"] {
            let data = Data("x".utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        do {
            _ = try ProjectArchive.read(Array(try #require(archive.data)))
            Issue.record("an archive with .. was read")
        } catch let refusal as ProjectArchive.Refusal {
            #expect(refusal.message.contains("chemin refusé"))
        }
        try await TestServer().run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            let lens = try await Scenario.createEPCI(&admin, siren: "246200364")
            var officer = try await Scenario.invite(&admin, organisation: lens, role: .contributeur, name: "Bruno", email: "b@lens.fr")
            let response = try await officer.upload("/projets/importer", [], files: [FilePart(field: "projet", name: "call.zip",
                                                                                               bytes: Array("PK\u{3}\u{4}nope".utf8))],
                                                    from: "/projets/nouveau")
            #expect(response.status == .unprocessableContent)
            #expect(response.plain.contains("illisible"))
            #expect(try await officer.get("/projets").text.contains("Aucun bilan"))
        }
    }

    /// Production as .xlsx replaces the CSV: named in plh.yaml, the bilan's figures unchanged, the CSV kept in history.
    @Test func productionAsAWorkbookReplacesTheCSV() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var (_, officer, id) = try await Scenario.callOfficer(client, notices)
            let rows = Workbook.rows(csv: try Self.exampleText("production.csv"))
            let xlsx = try Workbook.xlsx(sheet: "Production", rows: rows)
            let response = try await officer.upload("/projets/\(id)/fichiers", [("table", "production"), ("version", "1")],
                                                    files: [FilePart(field: "fichier", name: "Production CALL 2015-2017.xlsx", bytes: xlsx)],
                                                    from: "/projets/\(id)/fichiers")
            #expect(response.status == .seeOther, "\(response.text)")
            #expect(response.location == "/projets/\(id)/fichiers?enregistre=oui")
            let version2 = server.folder.appendingPathComponent("projets/\(id)/2")
            #expect(FileManager.default.fileExists(atPath: version2.appendingPathComponent("production.xlsx").path))
            #expect(!FileManager.default.fileExists(atPath: version2.appendingPathComponent("production.csv").path))
            #expect(FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("projets/\(id)/1/production.csv").path))
            let loaded = try BilanEngine.load(version2)
            #expect(loaded.productionFile == "production.xlsx")
            #expect(loaded.project.production == (try BilanEngine.load(Self.example)).project.production)
            let page = try await officer.get("/projets/\(id)/fichiers?enregistre=oui").text
            #expect(page.contains("production.xlsx"))
            #expect(page.contains("Le fichier est enregistré"))
            #expect(try await officer.get("/projets/\(id)/historique").text.contains("Production CALL 2015-2017.xlsx"))
        }
    }

    /// A bad cell in an uploaded workbook: 422, the error names the file sent, its sheet, row and column; nothing saved.
    @Test func aBadCellIsLocatedInTheUploadedSheet() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var (_, officer, id) = try await Scenario.callOfficer(client, notices)
            var rows = Workbook.rows(csv: try Self.exampleText("production.csv"))
            rows[3][4] = "beaucoup"
            let response = try await officer.upload("/projets/\(id)/fichiers", [("table", "production"), ("version", "1")],
                                                    files: [FilePart(field: "fichier", name: "prod.xlsx",
                                                                     bytes: try Workbook.xlsx(sheet: "Feuil1", rows: rows))],
                                                    from: "/projets/\(id)/fichiers")
            #expect(response.status == .unprocessableContent)
            let text = response.plain
            #expect(text.contains("« prod.xlsx » (feuille « Feuil1 »), ligne 4, colonne E"), "\(text)")
            #expect(text.contains(#"aria-invalid="true""#))
            #expect(!FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("projets/\(id)/2").path))
        }
    }

    /// Refused before the engine: no file, an old .xls, a "CSV" that is a zip; an unknown table; a stale version.
    @Test func wrongFilesAreRefusedNextToTheirField() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var (_, officer, id) = try await Scenario.callOfficer(client, notices)
            let page = "/projets/\(id)/fichiers"
            let none = try await officer.upload(page, [("table", "production"), ("version", "1")], files: [], from: page)
            #expect(none.status == .unprocessableContent)
            #expect(none.text.contains(#"id="erreur-fichier""#) && none.plain.contains("choisissez un fichier"))
            let xls = try await officer.upload(page, [("table", "production"), ("version", "1")],
                                               files: [FilePart(field: "fichier", name: "prod.xls", bytes: [0xD0, 0xCF, 0x11, 0xE0])], from: page)
            #expect(xls.plain.contains("les classeurs .xls ne sont pas lus"))
            let fake = try await officer.upload(page, [("table", "production"), ("version", "1")],
                                                files: [FilePart(field: "fichier", name: "prod.csv", bytes: Array("PK\u{3}\u{4}xx".utf8))], from: page)
            #expect(fake.plain.contains("n’est pas un fichier texte CSV"))
            let table = try await officer.upload(page, [("table", "../plh"), ("version", "1")],
                                                 files: [FilePart(field: "fichier", name: "a.csv", bytes: Array("a;b\n".utf8))], from: page)
            #expect(table.status == .unprocessableContent)
            #expect(table.text.contains(#"id="erreur-table""#))
            let stale = try await officer.upload(page, [("table", "production"), ("version", "0")],
                                                 files: [FilePart(field: "fichier", name: "production.csv",
                                                                  bytes: Array(try Self.exampleText("production.csv").dropLast(40).utf8) + [0x0A])],
                                                 from: page)
            #expect(stale.status == .conflict)
            #expect(stale.plain.contains("Quelqu'un a enregistré ce projet"))
            #expect(!FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("projets/\(id)/2").path))
            // A multipart form without its CSRF token is refused like any form.
            let forged = try await officer.upload(page, [("table", "production"), ("version", "1")],
                                                  files: [FilePart(field: "fichier", name: "a.csv", bytes: Array("x".utf8))], from: page,
                                                  csrf: String(repeating: "0", count: 64))
            #expect(forged.status == .forbidden)
        }
    }

    /// Past its route's limit a body is refused with 413 and a French page; a reader cannot upload.
    @Test func oversizedBodiesAndReadersAreRefused() async throws {
        try await TestServer().run { client, notices in
            var (admin, officer, id) = try await Scenario.callOfficer(client, notices)
            let big = [UInt8](repeating: 0x41, count: Route.tableLimit + 1024)
            let response = try await officer.upload("/projets/\(id)/fichiers", [("table", "production"), ("version", "1")],
                                                    files: [FilePart(field: "fichier", name: "gros.csv", bytes: big)], from: "/projets/\(id)/fichiers")
            #expect(response.status == .contentTooLarge)
            #expect(response.plain.contains("Envoi trop volumineux"))
            var reader = try await Scenario.invite(&admin, organisation: 2, role: .lecteur, name: "Chloé", email: "c@lens.fr")
            let page = try await reader.get("/projets/\(id)/fichiers")
            #expect(page.status == .ok && page.plain.contains("Votre rôle (lecteur)"))
            let refused = try await reader.upload("/projets/\(id)/fichiers", [("table", "production"), ("version", "1")],
                                                  files: [FilePart(field: "fichier", name: "a.csv", bytes: Array("x".utf8))],
                                                  from: "/projets/\(id)/fichiers")
            #expect(refused.status == .forbidden)
        }
    }

    /// A Sitadel file: its summary first (kept, outside the EPCI, outside the period), nothing saved; then applied
    /// it is a new version whose production counts the permits; a cancelled import leaves nothing.
    @Test func aSitadelImportIsShownBeforeItIsApplied() async throws {
        let server = try TestServer()
        try await server.run { client, notices in
            var admin = try await Scenario.setUp(client, notices)
            let lens = try await Scenario.createEPCI(&admin, siren: "246200364")
            var officer = try await Scenario.invite(&admin, organisation: lens, role: .contributeur, name: "Bruno", email: "b@lens.fr")
            let id = try await Scenario.createProject(&officer)
            // Two permits in Lens (62498) authorised in 2016, one in Arras (62041, outside the EPCI), one in 2010.
            let sitadel = """
                DEP;COMM;ETAT_DAU;DATE_REELLE_AUTORISATION;NUM_DAU;TYPE_DAU;NB_LGT_TOT_CREES;NB_LGT_PRET_LOC_SOCIAL;NB_LGT_ACC_SOC_HORS_PTZ
                62;498;2;2016-03-01;PC0624981600001;PC;12;4;2
                62;498;2;2016-05-10;PC0624981600002;PC;3;0;0
                62;041;2;2016-05-10;PC0620411600003;PC;30;10;0
                62;498;2;2010-05-10;PC0624981000004;PC;5;0;0

                """
            let page = "/projets/\(id)/fichiers"
            let staged = try await officer.upload("/projets/\(id)/imports", [("import", "sitadel"), ("stade", "")],
                                                  files: [FilePart(field: "fichier", name: "PC DAU 2016.csv", bytes: Array(sitadel.utf8))], from: page)
            #expect(staged.status == .seeOther, "\(staged.text)")
            let summaryPath = try #require(staged.location)
            let summary = try await officer.get(summaryPath)
            #expect(summary.status == .ok)
            #expect(summary.plain.contains("Rien n'est encore enregistré"))
            #expect(summary.plain.contains("4 permis lus"), "\(summary.text)")
            #expect(summary.plain.contains("2 retenus"))
            #expect(!summary.text.contains(server.folder.path))
            #expect(!FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("projets/\(id)/2").path))
            // Another user of the same EPCI cannot use this import's token.
            let apply = summaryPath + "/appliquer"
            let applied = try await officer.submit(apply, [], from: summaryPath)
            #expect(applied.status == .seeOther)
            let loaded = try BilanEngine.load(server.folder.appendingPathComponent("projets/\(id)/2"))
            #expect(loaded.project.production.reduce(0) { $0 + $1.dwellings } == 15)
            #expect(try await officer.get(summaryPath).status == .notFound)
            #expect(try await officer.get("/projets/\(id)/historique").text.contains("Import de permis Sitadel : « PC DAU 2016.csv »"))
            // A second import, cancelled: nothing saved.
            let again = try await officer.upload("/projets/\(id)/imports", [("import", "sitadel"), ("stade", "")],
                                                 files: [FilePart(field: "fichier", name: "autre.csv", bytes: Array(sitadel.replacingOccurrences(of: "2016-05-10;PC0624981600002", with: "2017-05-10;PC0624981700009").utf8))],
                                                 from: page)
            let againPath = try #require(again.location)
            let cancelled = try await officer.submit(againPath + "/annuler", [], from: againPath)
            #expect(cancelled.status == .seeOther)
            #expect(!FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("projets/\(id)/3").path))
            #expect(try await officer.get(againPath).status == .notFound)
        }
    }

    @Test func multipartFileNamesAreReducedToTheirLastComponent() {
        let disposition = #"form-data; name="fichier"; filename="C:\Users\bruno\Documents\prod \"v2\".xlsx""#
        #expect(MultipartForm.parameter("name", in: disposition) == "fichier")
        let name = MultipartForm.lastComponent(MultipartForm.parameter("filename", in: disposition) ?? "")
        #expect(name == #"prod "v2".xlsx"#)
        #expect(UploadedFile(name: "../../plh.yaml", bytes: []).safeName == "plh.yaml")
        #expect(UploadedFile(name: "Données Sitadel 2016 (1).csv", bytes: []).safeName == "donnees-sitadel-2016-1-.csv")
        #expect(UploadedFile(name: "é.csv", bytes: []).safeName == "e.csv")
        #expect(UploadedFile(name: "??", bytes: []).safeName == "fichier")
    }
}
