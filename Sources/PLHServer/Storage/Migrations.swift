/// The schema, as numbered steps run once each at start, in order; each applied number is recorded in `migrations`.
///
/// Never edit an applied step: add the next number.
enum Migrations {
    struct Step {
        var number: Int
        var name: String
        var statements: [String]
    }

    static let steps: [Step] = [
        Step(number: 1, name: "comptes et organisations", statements: [
            """
            CREATE TABLE organisations (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, siren TEXT)
            """,
            """
            CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                password_hash TEXT NOT NULL, organisation_id INTEGER NOT NULL REFERENCES organisations(id),
                role TEXT NOT NULL, platform_admin INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL)
            """,
            "CREATE TABLE setup_tokens (token_hash TEXT PRIMARY KEY, expires INTEGER NOT NULL)",
            """
            CREATE TABLE invitations (token_hash TEXT PRIMARY KEY, organisation_id INTEGER NOT NULL REFERENCES organisations(id),
                role TEXT NOT NULL, created_by INTEGER NOT NULL REFERENCES users(id), expires INTEGER NOT NULL)
            """,
            """
            CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
                csrf_token TEXT NOT NULL, expires INTEGER NOT NULL)
            """,
            "CREATE INDEX sessions_user ON sessions(user_id)",
        ]),
        Step(number: 2, name: "projets", statements: [
            """
            CREATE TABLE projects (id TEXT PRIMARY KEY, organisation_id INTEGER NOT NULL REFERENCES organisations(id),
                name TEXT NOT NULL, created_by INTEGER NOT NULL REFERENCES users(id), created INTEGER NOT NULL)
            """,
            "CREATE INDEX projects_organisation ON projects(organisation_id)",
        ]),
        Step(number: 3, name: "versions des projets et journal", statements: [
            """
            CREATE TABLE project_versions (project_id TEXT NOT NULL REFERENCES projects(id), number INTEGER NOT NULL,
                user_id INTEGER NOT NULL REFERENCES users(id), created INTEGER NOT NULL, summary TEXT NOT NULL,
                files TEXT NOT NULL, PRIMARY KEY (project_id, number))
            """,
            """
            CREATE TABLE audit (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, user_id INTEGER, organisation_id INTEGER,
                action TEXT NOT NULL, project_id TEXT, detail TEXT NOT NULL)
            """,
            "CREATE INDEX audit_organisation ON audit(organisation_id, time)",
        ]),
        Step(number: 4, name: "retrait des membres et territoire des organisations", statements: [
            "ALTER TABLE users ADD COLUMN removed INTEGER NOT NULL DEFAULT 0",
            // Département codes separated by commas (`62`, `02,59,60,62,80`): a département's, a DDT's, a DREAL's.
            "ALTER TABLE organisations ADD COLUMN territory TEXT NOT NULL DEFAULT ''",
        ]),
    ]
}
