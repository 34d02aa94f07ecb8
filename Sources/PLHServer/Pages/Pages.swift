import HTTPTypes
import Foundation
import Hummingbird
import Mustache
import PLHBase
import PLHTemplates

/// The pages, rendered on the server from `Templates/web/*.mustache`; every value is escaped by Mustache.
public struct Pages: Sendable {
    let library: MustacheLibrary
    /// `site.css`, served as a file.
    let stylesheet: ByteBuffer
    /// `recit.js`, the narrative editor's script (insertion of figures, live preview), served as a file.
    let narrativeScript: ByteBuffer

    static func load() async throws -> Pages {
        let folder = try WebTemplates.directory()
        let library = try await MustacheLibrary(directory: folder.path)
        let css = try Data(contentsOf: folder.appendingPathComponent("site.css"))
        let script = try Data(contentsOf: folder.appendingPathComponent("recit.js"))
        return Pages(library: library, stylesheet: ByteBuffer(bytes: css), narrativeScript: ByteBuffer(bytes: script))
    }

    /// A part of a page (no header nor footer), for a script that replaces it in the page.
    func fragment(_ template: String, _ values: [String: Any]) throws -> Response {
        var object = values
        for (key, value) in values {
            if let lines = value as? [String] { object[key] = lines.map(French.typography) }
            if let list = value as? [Any] { object[key + "_present"] = !list.isEmpty }
        }
        guard let html = library.render(object, withTemplate: template) else {
            throw WebError(.internalServerError, "Erreur interne", "Le gabarit de page « \(template) » est introuvable.")
        }
        return Self.html(html)
    }

    /// A page, with what every page shows (the user, the CSRF token of its forms).
    func render(_ template: String, title: String, _ values: [String: Any], context: WebContext,
                status: HTTPResponse.Status = .ok) throws -> Response {
        var object = values
        // French spacing (no-break space before « : ») in the texts the server writes, never in values typed by users.
        for (key, value) in values {
            if let lines = value as? [String] { object[key] = lines.map(French.typography) }
            if ["message", "erreur"].contains(key), let text = value as? String { object[key] = French.typography(text) }
        }
        // Mustache has no test of emptiness: `liste_present` tells whether `liste` has items.
        for (key, value) in values {
            if let list = value as? [Any] { object[key + "_present"] = !list.isEmpty }
        }
        if let errors = values["erreurs"] as? [Any] { object["nombreErreurs"] = French.count(errors.count, "erreur") }
        object["titre"] = French.typography(title)
        object["csrf"] = context.csrfToken
        if let user = context.user {
            object["utilisateur"] = ["nom": user.name, "administrateurPlateforme": user.isPlatformAdministrator,
                                     "administrateur": user.role == .administrateur]
        }
        guard let html = library.render(object, withTemplate: template) else {
            throw WebError(.internalServerError, "Erreur interne", "Le gabarit de page « \(template) » est introuvable.")
        }
        return Self.html(html, status: status)
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// One form field as templates show it (`champ.mustache`): label, value kept, error linked by aria-describedby.
struct Field {
    var name: String
    var label: String
    var type = "text"
    var value = ""
    var error: String?
    var autocomplete: String?
    var help: String?
    var required = true
    /// For a `select`: (value, label).
    var options: [(String, String)] = []
    /// The element's id, by default `champ-<name>` (two forms of a page may share a field name).
    var id: String?
    /// For a file input: the types the browser offers to choose.
    var accept: String?

    var object: [String: Any] {
        var object: [String: Any] = ["nom": name, "id": id ?? "champ-" + name, "libelle": label, "type": type, "valeur": value,
                                     "requis": required]
        if let error { object["erreur"] = French.typography(error); object["idErreur"] = "erreur-" + name }
        if let help { object["aide"] = French.typography(help); object["idAide"] = "aide-" + name }
        if let autocomplete { object["autocomplete"] = autocomplete }
        if let accept { object["accept"] = accept }
        if !options.isEmpty {
            object["choix"] = options.map { ["valeur": $0.0, "libelle": $0.1, "choisi": $0.0 == value] }
            object["choix_present"] = true
        }
        var described = [String]()
        if help != nil { described.append("aide-" + name) }
        if error != nil { described.append("erreur-" + name) }
        if !described.isEmpty { object["decritPar"] = described.joined(separator: " ") }
        return object
    }
}

extension Array where Element == Field {
    /// The fields as template values, and the list of errors for the summary at the top of the form.
    var objects: [[String: Any]] { map(\.object) }
    var errorSummary: [[String: Any]] {
        compactMap { field in field.error.map { ["id": field.id ?? "champ-" + field.name, "message": French.typography(field.label + " : " + $0)] } }
    }
}
