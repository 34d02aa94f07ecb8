import Foundation

/// The fields a new account fills in (first administrator, invitation), checked together.
struct AccountForm {
    var name: String
    var email: String
    var password: String
    var confirmation: String

    init(_ form: Form) {
        name = form.text("nom")
        email = form.text("email").lowercased()
        password = form["mot_de_passe"] ?? ""
        confirmation = form["confirmation"] ?? ""
    }

    init() {
        name = ""; email = ""; password = ""; confirmation = ""
    }

    static let minimumPassword = 12

    /// The fields, their values kept (never the passwords), with the errors of a submitted form.
    func fields(checked: Bool) -> [Field] {
        var fields = [
            Field(name: "nom", label: "Nom et prénom", value: name, autocomplete: "name"),
            Field(name: "email", label: "Adresse électronique", type: "email", value: email, autocomplete: "email",
                  help: "elle sert d'identifiant de connexion"),
            Field(name: "mot_de_passe", label: "Mot de passe", type: "password", autocomplete: "new-password",
                  help: "au moins \(Self.minimumPassword) caractères"),
            Field(name: "confirmation", label: "Confirmation du mot de passe", type: "password", autocomplete: "new-password"),
        ]
        guard checked else { return fields }
        if name.isEmpty { fields[0].error = "indiquez votre nom" }
        if !Self.looksLikeEmail(email) { fields[1].error = "l'adresse doit avoir la forme nom@domaine.fr" }
        if password.count < Self.minimumPassword {
            fields[2].error = "le mot de passe doit avoir au moins \(Self.minimumPassword) caractères"
        } else if password.utf8.count > 72 {
            fields[2].error = "le mot de passe ne doit pas dépasser 72 octets"
        }
        if password != confirmation { fields[3].error = "la confirmation ne correspond pas au mot de passe" }
        return fields
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ") && text.count <= 254
    }
}

/// The fields of a new organisation: its type, its name, for an EPCI its SIREN from the DGCL list, for a
/// département or a State service its territory (département codes).
struct OrganisationForm {
    var kind: String
    var name: String
    var siren: String
    var territory: String

    init(_ form: Form) {
        kind = form.text("type_organisation")
        name = form.text("nom_organisation")
        siren = form.text("siren").filter { $0 != " " }
        territory = form.text("territoire")
    }

    init() {
        kind = OrganisationKind.epci.rawValue; name = ""; siren = ""; territory = ""
    }

    /// The territory's codes as typed, separated by commas, semicolons or spaces; `2a` upper-cased, `2` made `02`.
    var departments: [String] {
        territory.split(whereSeparator: { ",; ".contains($0) }).map { code in
            let upper = code.uppercased()
            return upper.count == 1 ? "0" + upper : upper
        }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    func fields(checked: Bool, epcis: EPCIDirectory) -> [Field] {
        var fields = [
            Field(name: "type_organisation", label: "Type d'organisation", type: "select", value: kind,
                  options: OrganisationKind.allCases.map { ($0.rawValue, $0.label) }),
            Field(name: "nom_organisation", label: "Nom de l'organisation", value: name,
                  help: "pour un EPCI, laissez vide : le nom officiel de la DGCL est repris", required: false),
            Field(name: "siren", label: "SIREN de l'EPCI", value: siren, autocomplete: "off",
                  help: "9 chiffres, pour un EPCI seulement, par exemple 246200364", required: false),
            Field(name: "territoire", label: "Territoire (départements)", value: territory, autocomplete: "off",
                  help: "pour un département ou un service de l'État : 62 pour le Pas-de-Calais ou sa DDT, "
                      + "02, 59, 60, 62, 80 pour la DREAL Hauts-de-France ; ses utilisateurs lisent les bilans des EPCI "
                      + "dont une commune s'y trouve, sans pouvoir les modifier",
                  required: false),
        ]
        guard checked else { return fields }
        let codes = departments
        switch OrganisationKind(rawValue: kind) {
        case nil:
            fields[0].error = "choisissez un type dans la liste"
        case .epci:
            if epcis[siren] == nil {
                fields[2].error = siren.isEmpty ? "indiquez le SIREN de l'EPCI"
                                                : "aucun EPCI de SIREN « \(siren) » dans la liste de la DGCL livrée avec PLH Bilan"
            }
        default:
            if name.isEmpty { fields[1].error = "indiquez le nom de l'organisation" }
            if !siren.isEmpty { fields[2].error = "le SIREN ne s'indique que pour un EPCI" }
        }
        let known = epcis.departments
        switch OrganisationKind(rawValue: kind) {
        case .departement where codes.count != 1:
            fields[3].error = codes.isEmpty ? "indiquez le code du département, par exemple 62"
                                            : "un département n'a qu'un code : indiquez-en un seul"
        case .departement, .etat:
            if let unknown = codes.first(where: { !known.contains($0) }) {
                fields[3].error = "« \(unknown) » n'est le code d'aucun département de la liste de la DGCL livrée avec PLH Bilan"
            }
        case .epci, .partenaire:
            if !codes.isEmpty { fields[3].error = "le territoire ne s'indique que pour un département ou un service de l'État" }
        case nil:
            break
        }
        return fields
    }

    /// The organisation to create, once `fields(checked:)` found no error.
    func values(epcis: EPCIDirectory) -> (OrganisationKind, String, String?, [String]) {
        let kind = OrganisationKind(rawValue: kind) ?? .partenaire
        if kind == .epci { return (kind, name.isEmpty ? epcis[siren]?.name ?? siren : name, siren, []) }
        return (kind, name, nil, [.departement, .etat].contains(kind) ? departments : [])
    }
}
