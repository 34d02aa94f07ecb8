import Foundation
import Logging
import SQLiteNIO

/// The SQLite backend of `Store`, embedded (sqlite-nio ships SQLite): `DATA/plh-bilan.sqlite`, or in memory for tests.
public final class SQLiteStore: Store {
    let connection: SQLiteConnection

    /// Opens (or creates) the database and runs the migrations not yet applied.
    public static func open(path: String?) async throws -> SQLiteStore {
        var logger = Logger(label: "plh-bilan.sqlite")
        logger.logLevel = .warning
        let connection = try await SQLiteConnection.open(storage: path.map { .file(path: $0) } ?? .memory, logger: logger)
        let store = SQLiteStore(connection: connection)
        try await store.migrate()
        return store
    }

    init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func close() async throws {
        try await connection.close()
    }

    @discardableResult
    func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await connection.query(sql, binds)
    }

    func migrate() async throws {
        try await query("PRAGMA foreign_keys = ON")
        try await query("""
            CREATE TABLE IF NOT EXISTS migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)
            """)
        let applied = Set(try await appliedMigrations())
        for step in Migrations.steps where !applied.contains(step.number) {
            try await query("BEGIN IMMEDIATE")
            do {
                for statement in step.statements { try await query(statement) }
                try await query("INSERT INTO migrations (number, name, applied) VALUES (?, ?, ?)",
                                [.integer(step.number), .text(step.name), .integer(Int(Date().timeIntervalSince1970))])
                try await query("COMMIT")
            } catch {
                _ = try? await query("ROLLBACK")
                throw error
            }
        }
    }

    public func appliedMigrations() async throws -> [Int] {
        try await query("SELECT number FROM migrations ORDER BY number").compactMap { $0.column("number")?.integer }
    }

    public func userCount() async throws -> Int {
        try await query("SELECT count(*) AS n FROM users").first?.column("n")?.integer ?? 0
    }

    public func replaceSetupToken(hash: String, expires: Date) async throws {
        try await query("DELETE FROM setup_tokens")
        try await query("INSERT INTO setup_tokens (token_hash, expires) VALUES (?, ?)", [.text(hash), .seconds(expires)])
    }

    public func consumeSetupToken(hash: String, now: Date) async throws -> Bool {
        // One statement: two simultaneous uses cannot both succeed.
        !(try await query("DELETE FROM setup_tokens WHERE token_hash = ? AND expires > ? RETURNING token_hash",
                          [.text(hash), .seconds(now)])).isEmpty
    }

    public func setupTokenIsValid(hash: String, now: Date) async throws -> Bool {
        !(try await query("SELECT 1 FROM setup_tokens WHERE token_hash = ? AND expires > ?", [.text(hash), .seconds(now)])).isEmpty
    }

    public func createOrganisation(kind: OrganisationKind, name: String, siren: String?,
                                   territory: [String]) async throws -> Organisation {
        let rows = try await query("INSERT INTO organisations (kind, name, siren, territory) VALUES (?, ?, ?, ?) RETURNING id",
                                   [.text(kind.rawValue), .text(name), siren.map { .text($0) } ?? .null,
                                    .text(territory.joined(separator: ","))])
        guard let id = rows.first?.column("id")?.integer else { throw StoreError.noRowReturned }
        return Organisation(id: id, kind: kind, name: name, siren: siren, territory: territory)
    }

    public func organisations() async throws -> [Organisation] {
        try await query("SELECT * FROM organisations ORDER BY name").compactMap(Self.organisation)
    }

    public func organisation(id: Int) async throws -> Organisation? {
        try await query("SELECT * FROM organisations WHERE id = ?", [.integer(id)]).first.flatMap(Self.organisation)
    }

    public func createUser(email: String, name: String, passwordHash: String, organisationID: Int, role: Role,
                           platformAdministrator: Bool) async throws -> User? {
        let rows = try await query("""
            INSERT INTO users (email, name, password_hash, organisation_id, role, platform_admin, created)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING RETURNING id
            """, [.text(email), .text(name), .text(passwordHash), .integer(organisationID), .text(role.rawValue),
                  .integer(platformAdministrator ? 1 : 0), .seconds(Date())])
        guard let id = rows.first?.column("id")?.integer else { return nil }
        return User(id: id, email: email, name: name, organisationID: organisationID, role: role,
                    isPlatformAdministrator: platformAdministrator)
    }

    public func user(id: Int) async throws -> User? {
        try await query("SELECT * FROM users WHERE id = ?", [.integer(id)]).first.flatMap(Self.user)
    }

    public func user(email: String) async throws -> (user: User, passwordHash: String)? {
        guard let row = try await query("SELECT * FROM users WHERE email = ?", [.text(email)]).first,
              let user = Self.user(row), let hash = row.column("password_hash")?.string else { return nil }
        return (user, hash)
    }

    public func users(organisationID: Int) async throws -> [User] {
        try await query("SELECT * FROM users WHERE organisation_id = ? AND removed = 0 ORDER BY name", [.integer(organisationID)])
            .compactMap(Self.user)
    }

    /// The condition, on the row of user `?2` of organisation `?3`, that another active administrator remains.
    static let anotherAdministrator = """
        (SELECT count(*) FROM users o WHERE o.organisation_id = ?3 AND o.role = 'administrateur' AND o.removed = 0
         AND o.id != ?2) > 0
        """

    public func changeRole(userID: Int, organisationID: Int, to role: Role) async throws -> MemberChange {
        // One statement: two administrators demoting each other at once cannot both succeed.
        let rows = try await query("""
            UPDATE users SET role = ?1 WHERE id = ?2 AND organisation_id = ?3 AND removed = 0
            AND (role != 'administrateur' OR ?1 = 'administrateur' OR \(Self.anotherAdministrator)) RETURNING id
            """, [.text(role.rawValue), .integer(userID), .integer(organisationID)])
        return rows.isEmpty ? try await refusal(userID: userID, organisationID: organisationID) : .done
    }

    public func removeUser(userID: Int, organisationID: Int) async throws -> MemberChange {
        let rows = try await query("""
            UPDATE users SET removed = 1 WHERE id = ?2 AND organisation_id = ?3 AND removed = 0
            AND (role != 'administrateur' OR \(Self.anotherAdministrator)) RETURNING id
            """, [.null, .integer(userID), .integer(organisationID)])
        guard !rows.isEmpty else { return try await refusal(userID: userID, organisationID: organisationID) }
        try await deleteSessions(userID: userID)
        return .done
    }

    /// Why a member change touched no row: the member is not there, or is the last administrator.
    func refusal(userID: Int, organisationID: Int) async throws -> MemberChange {
        let found = try await query("SELECT 1 FROM users WHERE id = ? AND organisation_id = ? AND removed = 0",
                                    [.integer(userID), .integer(organisationID)])
        return found.isEmpty ? .notFound : .lastAdministrator
    }

    public func createInvitation(_ invitation: Invitation) async throws {
        try await query("INSERT INTO invitations (token_hash, organisation_id, role, created_by, expires) VALUES (?, ?, ?, ?, ?)",
                        [.text(invitation.tokenHash), .integer(invitation.organisationID), .text(invitation.role.rawValue),
                         .integer(invitation.createdBy), .seconds(invitation.expires)])
    }

    public func invitation(hash: String, now: Date) async throws -> Invitation? {
        try await query("SELECT * FROM invitations WHERE token_hash = ? AND expires > ?", [.text(hash), .seconds(now)])
            .first.flatMap(Self.invitation)
    }

    public func consumeInvitation(hash: String, now: Date) async throws -> Invitation? {
        try await query("DELETE FROM invitations WHERE token_hash = ? AND expires > ? RETURNING *", [.text(hash), .seconds(now)])
            .first.flatMap(Self.invitation)
    }

    public func createSession(_ session: Session) async throws {
        // Expired sessions are useless: each sign-in clears them.
        try await query("DELETE FROM sessions WHERE expires <= ?", [.seconds(Date())])
        try await query("INSERT INTO sessions (token_hash, user_id, csrf_token, expires) VALUES (?, ?, ?, ?)",
                        [.text(session.tokenHash), .integer(session.userID), .text(session.csrfToken), .seconds(session.expires)])
    }

    public func session(hash: String, now: Date) async throws -> Session? {
        guard let row = try await query("SELECT * FROM sessions WHERE token_hash = ? AND expires > ?", [.text(hash), .seconds(now)]).first,
              let userID = row.column("user_id")?.integer, let csrf = row.column("csrf_token")?.string,
              let expires = row.column("expires")?.integer else { return nil }
        return Session(tokenHash: hash, userID: userID, csrfToken: csrf, expires: Date(timeIntervalSince1970: Double(expires)))
    }

    public func deleteSession(hash: String) async throws {
        try await query("DELETE FROM sessions WHERE token_hash = ?", [.text(hash)])
    }

    public func deleteSessions(userID: Int) async throws {
        try await query("DELETE FROM sessions WHERE user_id = ?", [.integer(userID)])
    }

    public func insertProject(_ project: ProjectRecord, firstVersion: ProjectVersion) async throws {
        try await query("INSERT INTO projects (id, organisation_id, name, created_by, created) VALUES (?, ?, ?, ?, ?)",
                        [.text(project.id), .integer(project.organisationID), .text(project.name), .integer(project.createdBy),
                         .seconds(project.created)])
        _ = try await insertVersion(firstVersion)
    }

    public func insertVersion(_ version: ProjectVersion) async throws -> Bool {
        // The primary key (project, number) decides: of two saves made on one version, only the first gets the next number.
        !(try await query("""
            INSERT INTO project_versions (project_id, number, user_id, created, summary, files) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (project_id, number) DO NOTHING RETURNING number
            """, [.text(version.projectID), .integer(version.number), .integer(version.userID), .seconds(version.created),
                  .text(version.summary), .text(version.files.joined(separator: "\n"))])).isEmpty
    }

    public func versions(projectID: String) async throws -> [ProjectVersion] {
        try await query("SELECT * FROM project_versions WHERE project_id = ? ORDER BY number DESC", [.text(projectID)]).compactMap { row in
            guard let number = row.column("number")?.integer, let user = row.column("user_id")?.integer,
                  let created = row.column("created")?.integer, let summary = row.column("summary")?.string,
                  let files = row.column("files")?.string else { return nil }
            return ProjectVersion(projectID: projectID, number: number, userID: user, created: Date(timeIntervalSince1970: Double(created)),
                                  summary: summary, files: files.isEmpty ? [] : files.components(separatedBy: "\n"))
        }
    }

    public func appendAudit(_ entry: AuditEntry) async throws {
        try await query("INSERT INTO audit (time, user_id, organisation_id, action, project_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
                        [.seconds(entry.time), entry.userID.map { .integer($0) } ?? .null,
                         entry.organisationID.map { .integer($0) } ?? .null, .text(entry.action.rawValue),
                         entry.projectID.map { .text($0) } ?? .null, .text(entry.detail)])
    }

    public func auditEntries(organisationID: Int?, limit: Int, offset: Int) async throws -> [AuditEntry] {
        let rows = try await query(organisationID == nil ? "SELECT * FROM audit ORDER BY id DESC LIMIT ? OFFSET ?"
                                       : "SELECT * FROM audit WHERE organisation_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
                                   (organisationID.map { [SQLiteData.integer($0)] } ?? []) + [.integer(limit), .integer(max(offset, 0))])
        return rows.compactMap { row in
            guard let time = row.column("time")?.integer,
                  let action = row.column("action")?.string.flatMap(AuditAction.init(rawValue:)),
                  let detail = row.column("detail")?.string else { return nil }
            return AuditEntry(time: Date(timeIntervalSince1970: Double(time)), userID: row.column("user_id")?.integer,
                              organisationID: row.column("organisation_id")?.integer, action: action,
                              projectID: row.column("project_id")?.string, detail: detail)
        }
    }

    /// A project's columns, with its current version: the highest number recorded.
    static let projectColumns = "p.*, (SELECT max(number) FROM project_versions v WHERE v.project_id = p.id) AS version"

    public func projects(visibleTo perimeter: Perimeter) async throws -> [ProjectRecord] {
        let (condition, binds) = Self.condition(perimeter)
        return try await query("SELECT \(Self.projectColumns) FROM projects p WHERE \(condition) ORDER BY created DESC, id", binds)
            .compactMap(Self.project)
    }

    public func project(_ id: String, visibleTo perimeter: Perimeter) async throws -> ProjectRecord? {
        let (condition, binds) = Self.condition(perimeter)
        return try await query("SELECT \(Self.projectColumns) FROM projects p WHERE id = ? AND \(condition)", [.text(id)] + binds)
            .first.flatMap(Self.project)
    }

    /// The perimeter as a SQL condition on `organisation_id`, its values bound.
    static func condition(_ perimeter: Perimeter) -> (String, [SQLiteData]) {
        guard let ids = perimeter.readableOrganisationIDs else { return ("1 = 1", []) }
        if ids.isEmpty { return ("0 = 1", []) }
        return ("organisation_id IN (" + ids.map { _ in "?" }.joined(separator: ", ") + ")", ids.sorted().map { .integer($0) })
    }

    static func organisation(_ row: SQLiteRow) -> Organisation? {
        guard let id = row.column("id")?.integer, let kind = row.column("kind")?.string.flatMap(OrganisationKind.init(rawValue:)),
              let name = row.column("name")?.string else { return nil }
        let territory = row.column("territory")?.string ?? ""
        return Organisation(id: id, kind: kind, name: name, siren: row.column("siren")?.string,
                            territory: territory.split(separator: ",").map(String.init))
    }

    static func user(_ row: SQLiteRow) -> User? {
        guard let id = row.column("id")?.integer, let email = row.column("email")?.string, let name = row.column("name")?.string,
              let organisation = row.column("organisation_id")?.integer,
              let role = row.column("role")?.string.flatMap(Role.init(rawValue:)) else { return nil }
        return User(id: id, email: email, name: name, organisationID: organisation, role: role,
                    isPlatformAdministrator: row.column("platform_admin")?.integer == 1, isRemoved: row.column("removed")?.integer == 1)
    }

    static func invitation(_ row: SQLiteRow) -> Invitation? {
        guard let hash = row.column("token_hash")?.string, let organisation = row.column("organisation_id")?.integer,
              let role = row.column("role")?.string.flatMap(Role.init(rawValue:)), let by = row.column("created_by")?.integer,
              let expires = row.column("expires")?.integer else { return nil }
        return Invitation(tokenHash: hash, organisationID: organisation, role: role, createdBy: by,
                          expires: Date(timeIntervalSince1970: Double(expires)))
    }

    static func project(_ row: SQLiteRow) -> ProjectRecord? {
        guard let id = row.column("id")?.string, let organisation = row.column("organisation_id")?.integer,
              let name = row.column("name")?.string, let by = row.column("created_by")?.integer,
              let created = row.column("created")?.integer else { return nil }
        return ProjectRecord(id: id, organisationID: organisation, name: name, createdBy: by,
                             created: Date(timeIntervalSince1970: Double(created)), version: row.column("version")?.integer ?? 1)
    }
}

enum StoreError: Error {
    case noRowReturned
}

extension SQLiteData {
    /// A date stored as whole seconds since 1970.
    static func seconds(_ date: Date) -> SQLiteData { .integer(Int(date.timeIntervalSince1970)) }
}
