import PLHModel

/// Checks every name a template uses against the view model schema, following sections and partials,
/// because swift-mustache would render a missing name as empty, silently.
struct TemplateChecker {
    enum Scope {
        case fields([TemplateField])
        /// Inside a section that does not change the context (a flag) or whose name was already reported.
        case transparent
        case unknown
    }

    let sources: [String: TemplateSet.Source]
    var diagnostics: [Diagnostic] = []
    private var active: [String] = []

    init(sources: [String: TemplateSet.Source]) {
        self.sources = sources
    }

    mutating func check(_ name: String, scopes initial: [Scope]) {
        guard let source = sources[name], !active.contains(name) else { return }
        active.append(name)
        defer { active.removeLast() }
        var scopes = initial
        var open: [String] = []
        for tag in TemplateTag.scan(source.text) {
            let location = SourceLocation(path: source.displayPath, line: tag.line, column: tag.column)
            switch tag.kind {
            case .comment:
                continue
            case .unsupported(let what):
                report(location, "\(what) n'est pas pris en charge par PLH Bilan",
                       hint: "utilisez seulement {{nom}}, {{{nom}}}, {{#nom}}, {{^nom}}, {{/nom}} et {{>gabarit}}")
            case .partial:
                if let start = active.firstIndex(of: tag.name) {
                    // Rendering would never end (two self-includes double at each level): refused.
                    let cycle = (active[start...] + [tag.name]).joined(separator: " → ")
                    report(location, "gabarit partiel « \(tag.name) » inclus dans lui-même : \(cycle)",
                           hint: "un gabarit ne peut pas s'inclure, ni directement ni par un autre gabarit ; retirez {{> \(tag.name)}}")
                } else if sources[tag.name] == nil {
                    report(location, "gabarit partiel « \(tag.name) » introuvable",
                           hint: suggestion(for: tag.name, among: Array(sources.keys)) ?? "les gabarits sont les fichiers .mustache du dossier")
                } else {
                    check(tag.name, scopes: scopes)
                }
            case .close:
                if !open.isEmpty { open.removeLast(); scopes.removeLast() }
            case .section, .inverted:
                let shape = resolve(tag.name, in: scopes, at: location)
                open.append(tag.name)
                if tag.kind == .section, let fields = shape?.fields {
                    scopes.append(.fields(fields))
                } else {
                    scopes.append(shape == nil ? .unknown : .transparent)
                }
            case .variable(let escaped):
                guard let shape = resolve(tag.name, in: scopes, at: location) else { continue }
                switch shape {
                case .text where !escaped:
                    report(location, "« \(tag.name) » est du texte : {{{…}}} l'insérerait sans échappement HTML",
                           hint: "écrivez {{\(tag.name)}}")
                case .html where escaped:
                    report(location, "« \(tag.name) » est du HTML : {{…}} afficherait ses balises",
                           hint: "écrivez {{{\(tag.name)}}}")
                case .flag, .list, .object:
                    report(location, "« \(tag.name) » est une \(shape.kindName), pas un texte à afficher",
                           hint: "écrivez {{#\(tag.name)}}…{{/\(tag.name)}}")
                default:
                    break
                }
            }
        }
    }

    /// The shape of a (possibly dotted) name, looked up from the innermost scope outwards as Mustache does.
    private mutating func resolve(_ name: String, in scopes: [Scope], at location: SourceLocation) -> TemplateShape? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var visible: [String] = []
        for scope in scopes.reversed() {
            switch scope {
            case .unknown:
                return nil
            case .transparent:
                continue
            case .fields(let fields):
                visible += fields.map(\.name)
                guard var field = fields.first(where: { $0.name == parts[0] }) else { continue }
                for part in parts.dropFirst() {
                    guard let next = field.shape.fields?.first(where: { $0.name == part }) else {
                        report(location, "« \(part) » n'existe pas dans « \(field.name) »",
                               hint: suggestion(for: part, among: field.shape.fields?.map(\.name) ?? []))
                        return nil
                    }
                    field = next
                }
                return field.shape
            }
        }
        report(location, name == "." ? "« . » n'a pas de sens ici : les listes du modèle contiennent des objets"
                                     : "nom « \(name) » inconnu à cet endroit du gabarit",
               hint: suggestion(for: parts[0], among: visible) ?? "les noms disponibles sont décrits dans le README, section « Gabarits »")
        return nil
    }

    private mutating func report(_ location: SourceLocation, _ message: String, hint: String? = nil) {
        var message = message
        if active.count > 1 { message += " (gabarit inclus depuis « \(active[active.count - 2]) »)" }
        let diagnostic = Diagnostic(at: location, message, hint: hint)
        // A partial included twice is checked twice: its errors are listed once.
        if !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
    }
}
