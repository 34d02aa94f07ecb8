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
}

/// Which projects a user may reach: those of their organisation, or all for a platform administrator.
///
/// Every query of projects takes one; there is no other way to reach a project.
public struct Perimeter: Sendable, Equatable {
    /// nil: every organisation.
    public var organisationIDs: Set<Int>?

    public init(organisationIDs: Set<Int>?) {
        self.organisationIDs = organisationIDs
    }

    public init(user: User) {
        organisationIDs = user.isPlatformAdministrator ? nil : [user.organisationID]
    }

    public func contains(_ organisationID: Int) -> Bool {
        organisationIDs?.contains(organisationID) ?? true
    }
}
