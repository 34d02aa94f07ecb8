import PLHCompute
import PLHModel
import Testing
@testable import PLHRender

@Suite struct FindingTextTests {
    func text(_ kind: Finding.Kind, id: String = "x/EPCI", settings: FindingSettings = FindingSettings()) -> String {
        FindingText.text(Finding(id: id, rule: .avancement, unit: "EPCI", kind: kind), settings: settings)
    }

    func item(_ code: String, _ label: String, _ value: Double, reference: Double? = nil, objective: Double? = nil,
              family: Bool = false) -> Finding.Item {
        Finding.Item(code: code, label: label, value: value, reference: reference, objective: objective, isFamily: family)
    }

    @Test func progress() {
        #expect(text(.progress(.behind, rateAgainstPlan: 1.0 / 3, rateAgainstProrated: 2.0 / 3, expected: 0.5))
            == "Objectifs de production non atteints : 33\u{A0}% de l'objectif du PLH réalisé, pour 50\u{A0}% attendus à cette date (67\u{A0}% de l'objectif à date).")
        #expect(text(.progress(.onTrack, rateAgainstPlan: 0.5, rateAgainstProrated: 1, expected: 0.5)).hasPrefix("Objectifs de production en bonne voie :"))
        #expect(text(.progress(.reached, rateAgainstPlan: 1.05, rateAgainstProrated: 2.1, expected: 0.5))
            == "Objectif du PLH atteint : 105\u{A0}% de l'objectif de production du plan.")
    }

    @Test func representationAgreesWhateverTheSegmentsGender() {
        #expect(text(.representation(over: false, item("accession_sociale", "Accession sociale", 0.06, reference: 0.15)))
            == "Segment « Accession sociale » sous-représenté : 6\u{A0}% de la production pour 15\u{A0}% des objectifs.")
        #expect(text(.representation(over: true, item("famille-locatif-social", "locatif social", 0.76, reference: 0.42, family: true)))
            == "Ensemble « locatif social » sur-représenté : 76\u{A0}% de la production pour 42\u{A0}% des objectifs.")
    }

    @Test func absenceExceededRankingDisparity() {
        #expect(text(.noProduction(item("accession_sociale", "Accession sociale", 0, objective: 300)))
            == "Aucune production en « Accession sociale », pour un objectif de 300 logements sur la durée du PLH.")
        #expect(text(.exceeded([item("a", "Locatif privé", 1.333), item("b", "Locatif social", 1.125)]))
            == "Objectif du PLH déjà dépassé pour « Locatif privé » (133\u{A0}%) et « Locatif social » (113\u{A0}%).")
        #expect(text(.ranking([item("cr", "Communes résidentielles", 0.65), item("pum", "Pôles urbains majeurs", 0.33)]))
            == "Classement des catégories par réalisation de l'objectif du PLH : 1. communes résidentielles (65\u{A0}%), 2. pôles urbains majeurs (33\u{A0}%).")
        #expect(text(.disparity(lowest: item("pum", "Pôles urbains majeurs", 0.33), highest: item("cr", "Communes résidentielles", 0.65)))
            == "Forte disparité entre les catégories de communes : de 33\u{A0}% (pôles urbains majeurs) à 65\u{A0}% (communes résidentielles) de l'objectif du PLH.")
    }

    @Test func theOfficerCanRewordAFinding() {
        let settings = FindingSettings(texts: ["avancement/EPCI": "Les objectifs quantitatifs ne sont pas atteints."])
        #expect(text(.progress(.behind, rateAgainstPlan: 0.4, rateAgainstProrated: 0.8, expected: 0.5), id: "avancement/EPCI", settings: settings)
            == "Les objectifs quantitatifs ne sont pas atteints.")
    }
}
