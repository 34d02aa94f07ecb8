import Foundation

/// The server's storage: accounts, organisations, sessions, invitations, projects and their versions, the audit log.
///
/// One protocol for every backend (SQLite now, PostgreSQL later); controllers only know this one.
/// Tokens arrive here already hashed: no backend ever sees a link's or a cookie's token.
/// Each write is one statement, so that requests sharing the connection never interleave inside a transaction.
public protocol Store: Sendable {
    /// The numbered migrations applied, in order.
    func appliedMigrations() async throws -> [Int]

    func userCount() async throws -> Int

    /// Records the one-time token of the first administrator's link, replacing any earlier one.
    func replaceSetupToken(hash: String, expires: Date) async throws
    /// Uses the setup token once: true the first time, false afterwards or when unknown or expired.
    func consumeSetupToken(hash: String, now: Date) async throws -> Bool
    /// Whether the setup token is valid (without using it).
    func setupTokenIsValid(hash: String, now: Date) async throws -> Bool

    /// `territory`: the département codes a département or a State service oversees (empty for the other kinds).
    func createOrganisation(kind: OrganisationKind, name: String, siren: String?, territory: [String]) async throws -> Organisation
    func organisations() async throws -> [Organisation]
    func organisation(id: Int) async throws -> Organisation?

    /// Creates a user; nil when the e-mail address is already taken.
    func createUser(email: String, name: String, passwordHash: String, organisationID: Int, role: Role,
                    platformAdministrator: Bool) async throws -> User?
    func user(id: Int) async throws -> User?
    /// The user with this e-mail address (already lower-cased) and their password hash, even removed (`isRemoved`).
    func user(email: String) async throws -> (user: User, passwordHash: String)?
    /// The members of an organisation, those removed left out.
    func users(organisationID: Int) async throws -> [User]
    /// Gives a member of the organisation another role; refused when it would leave the organisation without administrator.
    func changeRole(userID: Int, organisationID: Int, to role: Role) async throws -> MemberChange
    /// Removes a member of the organisation (the row stays, marked removed, its sessions deleted); refused for the
    /// last administrator.
    func removeUser(userID: Int, organisationID: Int) async throws -> MemberChange

    func createInvitation(_ invitation: Invitation) async throws
    func invitation(hash: String, now: Date) async throws -> Invitation?
    /// Uses an invitation once: the invitation the first time, nil afterwards.
    func consumeInvitation(hash: String, now: Date) async throws -> Invitation?

    func createSession(_ session: Session) async throws
    func session(hash: String, now: Date) async throws -> Session?
    func deleteSession(hash: String) async throws
    /// Signs a user out everywhere.
    func deleteSessions(userID: Int) async throws

    /// Records a new project with its first version (its folder already in place).
    func insertProject(_ project: ProjectRecord, firstVersion: ProjectVersion) async throws
    /// Records the next version of a project; false when that number is already taken (someone saved since).
    func insertVersion(_ version: ProjectVersion) async throws -> Bool
    /// The versions of a project, newest first.
    func versions(projectID: String) async throws -> [ProjectVersion]

    func appendAudit(_ entry: AuditEntry) async throws
    /// The newest entries first, `offset` skipped; of one organisation, or all of them when nil.
    func auditEntries(organisationID: Int?, limit: Int, offset: Int) async throws -> [AuditEntry]
    /// The projects the perimeter reaches, newest first.
    func projects(visibleTo perimeter: Perimeter) async throws -> [ProjectRecord]
    /// The project, or nil when it does not exist or lies outside the perimeter (the two are not told apart).
    func project(_ id: String, visibleTo perimeter: Perimeter) async throws -> ProjectRecord?
}

extension Store {
    func createOrganisation(kind: OrganisationKind, name: String, siren: String?) async throws -> Organisation {
        try await createOrganisation(kind: kind, name: name, siren: siren, territory: [])
    }

    func auditEntries(organisationID: Int?, limit: Int) async throws -> [AuditEntry] {
        try await auditEntries(organisationID: organisationID, limit: limit, offset: 0)
    }
}

/// What a change of a member (role, removal) came to.
public enum MemberChange: Sendable, Equatable {
    case done
    /// Refused: the member is the organisation's last administrator.
    case lastAdministrator
    /// No such member in the organisation (or already removed).
    case notFound
}
