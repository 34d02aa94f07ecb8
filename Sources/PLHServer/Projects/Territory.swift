import Foundation

extension Services {
    /// What the user may reach: their organisation's projects (every project for a platform administrator), and
    /// for a département, a DDT or a DREAL, read-only, the projects of the EPCI organisations with communes in its
    /// territory (an EPCI across two départements is in both).
    func perimeter(for user: User) async throws -> Perimeter {
        if user.isPlatformAdministrator { return Perimeter(organisationIDs: nil) }
        guard let own = try await store.organisation(id: user.organisationID), [.departement, .etat].contains(own.kind),
              !own.territory.isEmpty else { return Perimeter(user: user) }
        let territory = Set(own.territory)
        let readable = try await store.organisations().filter { organisation in
            guard organisation.kind == .epci, organisation.id != own.id, let siren = organisation.siren,
                  let entry = epcis[siren] else { return false }
            return !entry.departments.isDisjoint(with: territory)
        }
        return Perimeter(organisationIDs: [own.id], readOnly: Set(readable.map(\.id)))
    }
}
