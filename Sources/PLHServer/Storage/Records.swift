import Foundation

/// What kind of body an organisation is: it decides which projects its users may reach.
public enum OrganisationKind: String, CaseIterable, Sendable {
    case epci, departement, etat, partenaire

    /// « EPCI », « Département »…, as shown in forms and lists.
    public var label: String {
        switch self {
        case .epci: "EPCI"
        case .departement: "Département"
        case .etat: "État (DDT, DREAL)"
        case .partenaire: "Partenaire"
        }
    }
}

/// An organisation; an EPCI is known by its SIREN, checked against the DGCL list.
public struct Organisation: Sendable, Equatable {
    public var id: Int
    public var kind: OrganisationKind
    public var name: String
    /// The SIREN of an EPCI, nil for the other kinds.
    public var siren: String?
    /// The départements (codes `62`, `2A`, `971`) a département, a DDT or a DREAL oversees: its users read the
    /// projects of the EPCIs that have communes there. Empty for the other kinds.
    public var territory: [String] = []
}

/// A user's role in their organisation.
public enum Role: String, CaseIterable, Sendable {
    case lecteur, contributeur, administrateur

    public var label: String {
        switch self {
        case .lecteur: "Lecteur"
        case .contributeur: "Contributeur"
        case .administrateur: "Administrateur de l'organisation"
        }
    }

    /// Contributors and administrators create and edit projects; readers only read.
    public var canEdit: Bool { self != .lecteur }
}

/// A user account (the password hash is never part of it).
public struct User: Sendable, Equatable {
    public var id: Int
    public var email: String
    public var name: String
    public var organisationID: Int
    public var role: Role
    public var isPlatformAdministrator: Bool
    /// Removed from their organisation: cannot sign in any more; the row stays so that history and audit keep the name.
    public var isRemoved = false
}

/// A signed-in browser: the cookie holds a random token, the database only its SHA-256.
public struct Session: Sendable, Equatable {
    public var tokenHash: String
    public var userID: Int
    /// The token every form of this session carries (CSRF).
    public var csrfToken: String
    public var expires: Date
}

/// A one-time link to join an organisation with a role; the database keeps only the token's hash.
public struct Invitation: Sendable, Equatable {
    public var tokenHash: String
    public var organisationID: Int
    public var role: Role
    public var createdBy: Int
    public var expires: Date
}

/// A project: its files are a CLI project folder under the data folder (`projets/<id>/`).
public struct ProjectRecord: Sendable, Equatable {
    /// Random, 16 hexadecimal digits: ids are not guessable in sequence.
    public var id: String
    public var organisationID: Int
    public var name: String
    public var createdBy: Int
    public var created: Date
    /// The current version (see `ProjectVersion`): its folder is `projets/<id>/<version>/`.
    public var version: Int = 1
}

/// Which projects a user may reach, and which of them they may change.
///
/// Their own organisation's projects (all for a platform administrator) are editable; a département, a DDT or a
/// DREAL also reads, without changing them, the projects of the EPCIs of its territory (`readOnlyOrganisationIDs`).
/// Every query of projects takes one; there is no other way to reach a project.
public struct Perimeter: Sendable, Equatable {
    /// The organisations whose projects may be changed (by a role that edits); nil: every organisation.
    public var organisationIDs: Set<Int>?
    /// The organisations whose projects may only be read.
    public var readOnlyOrganisationIDs: Set<Int> = []

    public init(organisationIDs: Set<Int>?, readOnly: Set<Int> = []) {
        self.organisationIDs = organisationIDs
        readOnlyOrganisationIDs = readOnly
    }

    /// The user's own organisation only (all for a platform administrator); see `Services.perimeter(for:)` for the
    /// territory of a département or a State service.
    public init(user: User) {
        organisationIDs = user.isPlatformAdministrator ? nil : [user.organisationID]
    }

    /// Whether the projects of the organisation may be reached (read).
    public func contains(_ organisationID: Int) -> Bool {
        isEditable(organisationID) || readOnlyOrganisationIDs.contains(organisationID)
    }

    /// Whether the projects of the organisation may be changed (the user's role decides too).
    public func isEditable(_ organisationID: Int) -> Bool {
        organisationIDs?.contains(organisationID) ?? true
    }

    /// Every organisation reached, read-only ones included; nil: every organisation.
    public var readableOrganisationIDs: Set<Int>? {
        organisationIDs.map { $0.union(readOnlyOrganisationIDs) }
    }
}

/// One saved state of a project: version 1 is its creation, each save adds the next number.
///
/// Every version is a complete CLI project folder, `projets/<id>/<number>/`, never changed once written.
public struct ProjectVersion: Sendable, Equatable {
    public var projectID: String
    public var number: Int
    public var userID: Int
    public var created: Date
    /// What the save did, in French: « Catégories des communes modifiées ».
    public var summary: String
    /// The files this version changed from the one before (added, changed or removed), relative to the project.
    public var files: [String]
}

/// What the audit log records.
public enum AuditAction: String, CaseIterable, Sendable {
    case connexion, echecConnexion = "echec_connexion", deconnexion
    case creationOrganisation = "creation_organisation", invitation, inscription
    case changementRole = "changement_role", suppressionUtilisateur = "suppression_utilisateur"
    case creationProjet = "creation_projet", modification, restauration, televersement, importation
    case telechargement

    /// As the audit page shows it.
    public var label: String {
        switch self {
        case .connexion: "Connexion"
        case .echecConnexion: "Échec de connexion"
        case .deconnexion: "Déconnexion"
        case .creationOrganisation: "Création d'organisation"
        case .invitation: "Invitation"
        case .inscription: "Création de compte"
        case .changementRole: "Changement de rôle"
        case .suppressionUtilisateur: "Retrait d'un utilisateur"
        case .creationProjet: "Création de bilan"
        case .modification: "Modification"
        case .restauration: "Restauration d'une version"
        case .televersement: "Téléversement"
        case .importation: "Import"
        case .telechargement: "Téléchargement"
        }
    }
}

/// One line of the audit log: who did what, for which organisation, when.
public struct AuditEntry: Sendable, Equatable {
    public var time: Date
    /// nil when nobody is signed in (a failed sign-in of an unknown address).
    public var userID: Int?
    /// The organisation the action concerns (the user's, or the project's); nil when none is known.
    public var organisationID: Int?
    public var action: AuditAction
    public var projectID: String?
    /// What was done, in French: the file downloaded, the role given, the e-mail address that failed.
    public var detail: String

    public init(time: Date = Date(), userID: Int?, organisationID: Int?, action: AuditAction, projectID: String? = nil,
                detail: String) {
        self.time = time
        self.userID = userID
        self.organisationID = organisationID
        self.action = action
        self.projectID = projectID
        self.detail = detail
    }
}
