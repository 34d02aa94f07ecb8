import Foundation
import HTTPTypes
import Hummingbird
import PLHBilan
import ZIPFoundation

/// The bilan's downloads: its HTML, its PDF (Chromium), its CSV annexes, and the submission archive that
/// `plh-bilan package` writes, byte for byte. Every download is audited.
enum DownloadController {
    static let routes: [Route] = [
        Route(.get, "/projets/:project/telechargements", page),
        Route(.get, "/projets/:project/telechargements/bilan.html", html),
        Route(.get, "/projets/:project/telechargements/bilan.pdf", pdf),
        Route(.get, "/projets/:project/telechargements/annexes.zip", annexes),
        Route(.get, "/projets/:project/telechargements/depot.zip", package),
    ]

    /// What the server says when it cannot print PDFs.
    static let missingChromium = "Le PDF ne peut pas être produit : Chromium n'est pas installé sur le serveur. L'administrateur du serveur l'installe avec « apt install chromium » (Debian, Ubuntu). En attendant, téléchargez le bilan HTML et imprimez-le en PDF depuis votre navigateur."

    static func page(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, entry) = try await NarrativeController.loaded(services, context)
        let toComplete = ViewModel(project: entry.loaded.project, achievement: entry.achievement).toComplete
        let printable = BilanEngine.printerError(settings: services.configuration.settings) == nil
        return try services.pages.render("telechargements", title: "Téléchargements — " + record.name, [
            "id": record.id, "nom": record.name, "version": record.version, "pdf": printable,
            "sansChromium": printable ? "" : missingChromium, "aCompleter": toComplete,
        ], context: context)
    }

    static func html(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await ProjectController.project(services, context)
        let bilan: RenderedBilan
        do {
            bilan = try BilanEngine.render(folder, settings: services.configuration.settings)
        } catch {
            return try refused(services, context, record, error)
        }
        var response = try await file(services, context, record, bilan.htmlBytes, type: "text/html; charset=utf-8",
                                      name: ProjectController.folderName(record) + ".html", what: "bilan HTML")
        response.headers[HTTPField.Name("Content-Security-Policy")!] = BilanEngine.bilanPolicy
        return response
    }

    static func pdf(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await ProjectController.project(services, context)
        let settings = services.configuration.settings
        if BilanEngine.printerError(settings: settings) != nil {
            throw WebError(.serviceUnavailable, "PDF indisponible", missingChromium)
        }
        let bytes: [UInt8]
        do {
            bytes = try await Task.detached { try BilanEngine.pdf(folder, settings: settings) }.value
        } catch let error as BilanError {
            if error.kind == .missingTool { throw WebError(.serviceUnavailable, "PDF indisponible", missingChromium) }
            return try refused(services, context, record, error)
        }
        return try await file(services, context, record, bytes, type: "application/pdf",
                              name: ProjectController.folderName(record) + ".pdf", what: "bilan PDF")
    }

    static func annexes(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await ProjectController.project(services, context)
        let bilan: RenderedBilan
        do {
            bilan = try BilanEngine.render(folder, settings: services.configuration.settings)
        } catch {
            return try refused(services, context, record, error)
        }
        let archive = try Archive(accessMode: .create)
        for annex in bilan.annexes {
            let data = Data(annex.bytes)
            try archive.addEntry(with: annex.path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw WebError(.internalServerError, "Erreur interne", "L'archive n'a pas pu être faite.") }
        return try await file(services, context, record, [UInt8](data), type: "application/zip",
                              name: ProjectController.folderName(record) + "-annexes.zip", what: "annexes CSV et classeur (zip)")
    }

    /// `depot.zip`: what `plh-bilan package` writes for the current version's folder; `?brouillon=oui` for a draft.
    static func package(_ services: Services, _ request: Request, _ context: WebContext) async throws -> Response {
        let (record, folder) = try await ProjectController.project(services, context)
        let draft = request.uri.queryParameters.get("brouillon") == "oui"
        let settings = services.configuration.settings
        let bytes: [UInt8]
        do {
            bytes = try await Task.detached { try BilanEngine.package(folder, settings: settings, draft: draft) }.value
        } catch let error as BilanError {
            return try refused(services, context, record, error)
        }
        return try await file(services, context, record, bytes, type: "application/zip",
                              name: ProjectController.folderName(record) + (draft ? "-brouillon" : "") + "-depot.zip",
                              what: draft ? "archive de dépôt (brouillon)" : "archive de dépôt")
    }

    /// A download, audited, under an ASCII file name.
    static func file(_ services: Services, _ context: WebContext, _ record: ProjectRecord, _ bytes: [UInt8], type: String,
                     name: String, what: String) async throws -> Response {
        try await services.audit(.telechargement, by: context.user, organisationID: record.organisationID, project: record.id,
                                 "\(what), version \(record.version)")
        return Response(status: .ok, headers: [
            .contentType: type, .cacheControl: "no-store", .contentDisposition: "attachment; filename=\"\(name)\"",
        ], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The engine's refusal (an incomplete bilan, a narrative citing an unknown figure…), on the downloads page.
    static func refused(_ services: Services, _ context: WebContext, _ record: ProjectRecord, _ error: BilanError) throws -> Response {
        try services.pages.render("telechargements", title: "Téléchargements — " + record.name, [
            "id": record.id, "nom": record.name, "version": record.version, "pdf": true,
            "refus": error.diagnostics.map(\.description),
        ], context: context, status: .unprocessableContent)
    }
}
