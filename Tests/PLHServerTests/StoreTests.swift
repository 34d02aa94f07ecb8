import Foundation
import Testing
@testable import PLHServer

/// The storage, tested through the `Store` protocol only (SQLite in memory or in a file).
@Suite struct StoreTests {
    /// Issue 12: schema changes are numbered migrations, each run once, even when the database is opened again.
    @Test func migrationsAreNumberedAndRunOnce() async throws {
        let numbers = Migrations.steps.map(\.number)
        #expect(numbers == Array(1...numbers.count))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plh-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try await SQLiteStore.open(path: path)
        #expect(try await first.appliedMigrations() == numbers)
        _ = try await first.createOrganisation(kind: .etat, name: "DDT du Nord", siren: nil)
        try await first.close()
        let second = try await SQLiteStore.open(path: path)
        #expect(try await second.appliedMigrations() == numbers)
        #expect(try await second.organisations().map(\.name) == ["DDT du Nord"])
        try await second.close()
    }

    @Test func accountsAndOneTimeTokens() async throws {
        let store = try await SQLiteStore.open(path: nil)
        #expect(try await store.userCount() == 0)
        try await store.replaceSetupToken(hash: "h", expires: Date().addingTimeInterval(60))
        #expect(try await store.consumeSetupToken(hash: "h", now: Date()))
        #expect(try await !store.consumeSetupToken(hash: "h", now: Date()))
        try await store.replaceSetupToken(hash: "old", expires: Date().addingTimeInterval(-1))
        #expect(try await !store.consumeSetupToken(hash: "old", now: Date()))

        let organisation = try await store.createOrganisation(kind: .epci, name: "CA de Lens - Liévin", siren: "246200364")
        let user = try #require(try await store.createUser(email: "a@b.fr", name: "A", passwordHash: "x", organisationID: organisation.id,
                                                            role: .contributeur, platformAdministrator: false))
        #expect(try await store.createUser(email: "a@b.fr", name: "B", passwordHash: "y", organisationID: organisation.id,
                                           role: .lecteur, platformAdministrator: false) == nil)
        #expect(try await store.user(email: "a@b.fr")?.user == user)
        #expect(try await store.userCount() == 1)

        // Dates are kept to the second.
        let inAMinute = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 60).rounded(.down))
        let invitation = Invitation(tokenHash: "i", organisationID: organisation.id, role: .lecteur, createdBy: user.id,
                                    expires: inAMinute)
        try await store.createInvitation(invitation)
        #expect(try await store.consumeInvitation(hash: "i", now: Date()) == invitation)
        #expect(try await store.consumeInvitation(hash: "i", now: Date()) == nil)

        let session = Session(tokenHash: "s", userID: user.id, csrfToken: "c", expires: Date().addingTimeInterval(60))
        try await store.createSession(session)
        try await store.createSession(Session(tokenHash: "t", userID: user.id, csrfToken: "d", expires: Date().addingTimeInterval(60)))
        #expect(try await store.session(hash: "s", now: Date())?.csrfToken == "c")
        #expect(try await store.session(hash: "s", now: Date().addingTimeInterval(120)) == nil)
        try await store.deleteSessions(userID: user.id)
        #expect(try await store.session(hash: "t", now: Date()) == nil)
        try await store.close()
    }

    /// Issue 12: a project is reached only within a perimeter; outside it, it is as absent as an unknown one.
    @Test func projectsOnlyWithinThePerimeter() async throws {
        let store = try await SQLiteStore.open(path: nil)
        let lens = try await store.createOrganisation(kind: .epci, name: "CA de Lens - Liévin", siren: "246200364")
        let reims = try await store.createOrganisation(kind: .epci, name: "CU du Grand Reims", siren: "200067213")
        let user = try #require(try await store.createUser(email: "a@b.fr", name: "A", passwordHash: "x", organisationID: lens.id,
                                                            role: .contributeur, platformAdministrator: false))
        try await store.insertProject(ProjectRecord(id: "p1", organisationID: lens.id, name: "Lens", createdBy: user.id, created: Date()),
                                      firstVersion: ProjectVersion(projectID: "p1", number: 1, userID: user.id, created: Date(),
                                                                   summary: "Création", files: ["plh.yaml"]))
        #expect(try await store.project("p1", visibleTo: Perimeter(organisationIDs: [lens.id]))?.name == "Lens")
        #expect(try await store.project("p1", visibleTo: Perimeter(organisationIDs: [reims.id])) == nil)
        #expect(try await store.project("p1", visibleTo: Perimeter(organisationIDs: [])) == nil)
        #expect(try await store.project("p1", visibleTo: Perimeter(organisationIDs: nil)) != nil)
        #expect(try await store.projects(visibleTo: Perimeter(organisationIDs: [reims.id])).isEmpty)
        #expect(try await store.projects(visibleTo: Perimeter(organisationIDs: [lens.id, reims.id])).map(\.id) == ["p1"])
        try await store.close()
    }

    /// Issue 12: a version number is given once; the current version is the highest; the audit log filters by organisation.
    @Test func versionsAreNumberedOnceAndTheAuditLogIsPerOrganisation() async throws {
        let store = try await SQLiteStore.open(path: nil)
        let lens = try await store.createOrganisation(kind: .epci, name: "CA de Lens - Liévin", siren: "246200364")
        let reims = try await store.createOrganisation(kind: .epci, name: "CU du Grand Reims", siren: "200067213")
        let user = try #require(try await store.createUser(email: "a@b.fr", name: "A", passwordHash: "x", organisationID: lens.id,
                                                            role: .contributeur, platformAdministrator: false))
        try await store.insertProject(ProjectRecord(id: "p1", organisationID: lens.id, name: "Lens", createdBy: user.id, created: Date()),
                                      firstVersion: ProjectVersion(projectID: "p1", number: 1, userID: user.id, created: Date(),
                                                                   summary: "Création", files: ["plh.yaml", "communes.csv"]))
        let second = ProjectVersion(projectID: "p1", number: 2, userID: user.id, created: Date(), summary: "Objectifs", files: ["objectifs.csv"])
        #expect(try await store.insertVersion(second))
        #expect(try await store.insertVersion(second) == false)
        #expect(try await store.project("p1", visibleTo: Perimeter(organisationIDs: nil))?.version == 2)
        #expect(try await store.versions(projectID: "p1").map(\.number) == [2, 1])
        #expect(try await store.versions(projectID: "p1").last?.files == ["plh.yaml", "communes.csv"])

        try await store.appendAudit(AuditEntry(userID: user.id, organisationID: lens.id, action: .modification, projectID: "p1", detail: "x"))
        try await store.appendAudit(AuditEntry(userID: nil, organisationID: reims.id, action: .echecConnexion, detail: "y"))
        #expect(try await store.auditEntries(organisationID: lens.id, limit: 10).map(\.action) == [.modification])
        #expect(try await store.auditEntries(organisationID: nil, limit: 10).map(\.action) == [.echecConnexion, .modification])
        #expect(try await store.auditEntries(organisationID: reims.id, limit: 10).first?.userID == nil)
        try await store.close()
    }
}
