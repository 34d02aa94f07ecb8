import Foundation
import Mustache
import PLHBase
import PLHModel
import PLHTemplates

/// The templates of one rendering: the defaults, overridden file by file by the user's folders,
/// parsed and checked against the view model schema once, before anything is rendered.
public struct TemplateSet: Sendable {
    /// The template the document starts from.
    public static let rootName = "bilan"
    /// The documents templates make, each from its root template and checked against its schema.
    public static let documents: [(name: String, schema: [TemplateField])] = [
        (rootName, ViewModelSchema.root),
        (SynthesisSchema.rootName, SynthesisSchema.root),
    ]
    static let fileExtension = "mustache"

    /// One template file.
    public struct Source: Sendable {
        public var name: String
        public var text: String
        /// How messages name the file: `gabarits/tableau.mustache`, or `(défaut) tableau.mustache`.
        public var displayPath: String
    }

    public private(set) var sources: [String: Source]
    private let compiled: CompiledTemplates

    /// Loads the default templates, then each folder of `overrides` in turn (later ones win).
    ///
    /// `overrides` pairs a folder with the name shown for it in messages; a missing folder is skipped.
    public init(overrides: [(folder: URL, display: String)] = []) throws(BilanError) {
        let defaults = try Self.read(folder: DefaultTemplates.directory(), display: "(défaut) ")
        var sources = defaults
        for (folder, display) in overrides {
            for (name, source) in try Self.read(folder: folder, display: display.isEmpty ? "" : display + "/") {
                sources[name] = source
            }
        }
        // The shipped templates are checked by the tests (defaultTemplatesPassTheCheck), not at each run.
        let shipped = Set(sources.filter { defaults[$0.key]?.text == $0.value.text }.keys)
        try self.init(sources: sources, shipped: shipped)
    }

    /// Builds a set from template texts; used by tests and by `init(overrides:)`.
    ///
    /// `shipped` names the templates known to be the defaults, unchanged: their syntax is not checked again, and
    /// when every template is one of them, neither is the whole set against the schema (the tests do it once).
    public init(sources: [String: Source], shipped: Set<String> = []) throws(BilanError) {
        var diagnostics: [Diagnostic] = []
        for source in sources.values.sorted(by: { $0.name < $1.name }) where !shipped.contains(source.name) {
            do {
                _ = try MustacheTemplate(string: source.text)
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.append(Diagnostic(at: SourceLocation(path: source.displayPath, line: error.context.lineNumber,
                                                                 column: error.context.columnNumber),
                                              "gabarit invalide : \(Self.french(error.error))"))
            } catch {
                diagnostics.append(Diagnostic(at: SourceLocation(path: source.displayPath), "gabarit invalide : \(error)"))
            }
        }
        for (document, _) in Self.documents where sources[document] == nil {
            diagnostics.append(Diagnostic(at: nil, "gabarit principal « \(document).\(Self.fileExtension) » introuvable"))
        }
        if diagnostics.isEmpty && !sources.keys.allSatisfy(shipped.contains) {
            var checker = TemplateChecker(sources: sources)
            for (document, schema) in Self.documents {
                checker.check(document, scopes: [.fields(schema)])
            }
            diagnostics = checker.diagnostics
        }
        if !diagnostics.isEmpty { throw BilanError(.template, diagnostics) }
        self.sources = sources
        self.compiled = CompiledTemplates(sources: sources)
    }

    /// Renders the document. The value is checked against the schema first: a mismatch is a bug of PLH Bilan.
    public func render(_ value: TemplateValue, document: String = rootName) throws(BilanError) -> String {
        String(decoding: try renderBytes(value, document: document), as: UTF8.self)
    }

    /// The rendered document's UTF-8 bytes, for writing: decoding them into a String checks every byte again
    /// (7 instructions a byte, a tenth of a national batch).
    public func renderBytes(_ value: TemplateValue, document: String = rootName) throws(BilanError) -> [UInt8] {
        guard let schema = Self.documents.first(where: { $0.name == document })?.schema else {
            throw BilanError(.internal, at: nil, "document « \(document) » inconnu")
        }
        #if DEBUG
        // A view model that strays from its schema is a bug of PLH Bilan; debug builds and tests check every one.
        if let mismatch = value.mismatch(with: .object(schema)) {
            throw BilanError(.internal, at: nil, "le modèle de vue ne correspond pas à son schéma : \(mismatch)")
        }
        #endif
        return compiled.render(document, value)
    }

    /// The same document through swift-mustache, to check that the compiled renderer agrees with it.
    func renderWithSwiftMustache(_ value: TemplateValue, document: String = rootName) -> String? {
        var library = MustacheLibrary()
        for source in sources.values {
            guard let template = try? MustacheTemplate(string: source.text) else { return nil }
            library.register(template, named: source.name)
        }
        return library.render(value.mustacheValue, withTemplate: document)
    }

    /// What `exportDefaults` did: the files written, and those already identical to the defaults (left as they were).
    public struct Export: Sendable, Equatable {
        public var written: [String]
        public var unchanged: [String]
    }

    /// Writes the default templates to `folder`, for users to edit.
    ///
    /// A file already there that differs from its default (a template the user edited) is only replaced
    /// with `force`; otherwise nothing is written and the error lists those files. Files identical to
    /// their default are left as they are. `display` names the folder in messages (default: its path).
    public static func exportDefaults(to folder: URL, display: String? = nil, force: Bool = false) throws(BilanError) -> Export {
        let shown = display ?? folder.path
        func path(_ file: String) -> String { shown.hasSuffix("/") ? shown + file : shown + "/" + file }
        let defaults: [String: Source]
        defaults = try read(folder: DefaultTemplates.directory(), display: "")
        let names = defaults.keys.sorted()
        var export = Export(written: [], unchanged: [])
        var edited: [String] = []
        for name in names {
            let file = "\(name).\(fileExtension)"
            guard let existing = FileManager.default.contents(atPath: folder.appendingPathComponent(file).path) else { continue }
            if existing == Data(defaults[name]!.text.utf8) { export.unchanged.append(file) } else { edited.append(file) }
        }
        if !edited.isEmpty && !force {
            let count = edited.count == 1 ? "1 gabarit existe déjà et diffère" : "\(edited.count) gabarits existent déjà et diffèrent"
            throw BilanError(.output, at: SourceLocation(path: shown),
                             "\(count) du gabarit par défaut : \(frenchEnumeration(edited.map { "« \($0) »" })) ; rien n'a été écrit",
                             hint: "ajoutez --force pour les remplacer par les gabarits par défaut, ou exportez dans un autre dossier")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw BilanError(.output, at: SourceLocation(path: shown), "impossible de créer le dossier : \(systemErrorText(error, path: shown))")
        }
        for name in names {
            let file = "\(name).\(fileExtension)"
            if export.unchanged.contains(file) { continue }
            do {
                try Data(defaults[name]!.text.utf8).write(to: folder.appendingPathComponent(file), options: .atomic)
            } catch {
                throw BilanError(.output, at: SourceLocation(path: path(file)), "écriture impossible : \(systemErrorText(error, path: path(file)))")
            }
            export.written.append(file)
        }
        return export
    }

    static func read(folder: URL, display: String) throws(BilanError) -> [String: Source] {
        let fm = FileManager.default
        let base = folder.path
        guard let names = try? fm.contentsOfDirectory(atPath: base) else { return [:] }
        var root: String?
        var sources: [String: Source] = [:]
        for file in names.sorted() where file.hasSuffix(".\(fileExtension)") {
            let path = base.hasSuffix("/") ? base + file : base + "/" + file
            let shown = display + file
            // A file listed in the folder is inside it unless it is a link: only links are followed to where they lead.
            var info = stat()
            if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK {
                if root == nil { root = folder.resolvingSymlinksInPath().path }
                let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
                guard let root, real.hasPrefix(root + "/") else {
                    throw BilanError(.template, at: SourceLocation(path: shown), "gabarit refusé : c'est un lien vers un fichier hors de son dossier",
                                     hint: "copiez le gabarit dans le dossier au lieu d'un lien")
                }
            }
            guard let data = fm.contents(atPath: path), let text = String(validating: data, as: UTF8.self) else {
                throw BilanError(.template, at: SourceLocation(path: shown), "gabarit illisible (il doit être en UTF-8)")
            }
            let name = String(file.dropLast(fileExtension.count + 1))
            sources[name] = Source(name: name, text: text, displayPath: shown)
        }
        return sources
    }

    static func french(_ error: Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "la balise de fermeture ne correspond pas à la section ouverte"
        case .unfinishedName: return "balise mal formée (accolades non refermées ?)"
        case .expectedSectionEnd: return "section jamais refermée : il manque {{/…}}"
        case .invalidSetDelimiter: return "changement de délimiteurs mal formé"
        default: return "syntaxe Mustache incorrecte (\(error))"
        }
    }
}
