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

    @Test func aheadAndExcess() {
        #expect(text(.progress(.ahead, rateAgainstPlan: 0.65, rateAgainstProrated: 1.31, expected: 0.5))
            == "Objectif à date dépassé : 65\u{A0}% de l'objectif du PLH réalisé, pour 50\u{A0}% attendus à cette date, soit 131\u{A0}% de l'objectif à date.")
        #expect(text(.excess(rateAgainstProrated: 1.31, item("cr", "Communes résidentielles", 0.16, reference: 0.11)))
            == "Décalage marqué avec le reste du territoire : 16\u{A0}% de la production de l'EPCI pour 11\u{A0}% de ses objectifs.")
    }

    @Test func representationIsASentenceThatAgrees() {
        #expect(text(.representation(over: false, item("famille-accession", "accession", 0.35, reference: 0.5, family: true)))
            == "L'accession est sous-représentée : 35\u{A0}% de la production pour 50\u{A0}% des objectifs.")
        #expect(text(.representation(over: true, item("locatif_prive", "Locatif privé", 0.29, reference: 0.14)))
            == "Le locatif privé est sur-représenté : 29\u{A0}% de la production pour 14\u{A0}% des objectifs.")
        #expect(text(.representation(over: false, item("plai", "PLAI", 0.07, reference: 0.11)))
            == "Le PLAI est sous-représenté : 7\u{A0}% de la production pour 11\u{A0}% des objectifs.")
        var family = item("famille-locatif-social", "locatif social", 0.53, reference: 0.38, family: true)
        family.members = [item("locatif_social", "Locatif social hors PLAI (PLUS, PLS)", 0.46, reference: 0.27)]
        #expect(text(.representation(over: true, family))
            == "Le locatif social est sur-représenté : 53\u{A0}% de la production pour 38\u{A0}% des objectifs, dont 46\u{A0}% pour 27\u{A0}% en locatif social hors PLAI (PLUS, PLS).")
        #expect(text(.representation(over: true, item("h", "Habitat intermédiaire", 0.3, reference: 0.1))).hasPrefix("L'habitat intermédiaire est sur-représenté"))
        #expect(text(.representation(over: true, item("r", "Résidences sociales", 0.3, reference: 0.1))).hasPrefix("Les résidences sociales sont sur-représentées :"))
        #expect(text(.representation(over: false, item("p", "PLUS", 0.1, reference: 0.3))).hasPrefix("Le PLUS est sous-représenté :"))
    }

    @Test func absenceExceededRankingDisparity() {
        #expect(text(.noProduction(item("accession_sociale", "Accession sociale", 0, objective: 300)))
            == "Aucun logement en accession sociale, pour un objectif de 300 logements sur la durée du PLH.")
        #expect(text(.exceeded([item("a", "Locatif privé", 1.333), item("b", "Locatif social", 1.125)]))
            == "L'objectif du PLH est déjà dépassé : 133\u{A0}% en locatif privé et 113\u{A0}% en locatif social.")
        #expect(text(.ranking([item("cr", "Communes résidentielles", 0.65), item("pum", "Pôles urbains majeurs", 0.33)]))
            == "Classement des catégories par réalisation de l'objectif du PLH : communes résidentielles 65\u{A0}%, pôles urbains majeurs 33\u{A0}%.")
        #expect(text(.disparity([item("cr", "Communes résidentielles", 0.65), item("pue", "Pôles urbains équipés", 0.5),
                                 item("pum", "Pôles urbains majeurs", 0.33)]))
            == "Forte disparité entre les catégories de communes, de 33\u{A0}% à 65\u{A0}% de l'objectif du PLH : communes résidentielles 65\u{A0}%, pôles urbains équipés 50\u{A0}%, pôles urbains majeurs 33\u{A0}%.")
        #expect(text(.withoutObjective(dwellings: 400, [item("a", "Locatif privé", 250), item("b", "Accession libre", 150)]))
            == "400 logements ont été comptés (250 en locatif privé, 150 en accession libre) là où le PLH ne fixe pas d'objectif : ils sont hors des taux de réalisation.")
    }

    @Test func theOfficerCanRewordAFinding() {
        let settings = FindingSettings(texts: ["avancement/EPCI": "Les objectifs quantitatifs ne sont pas atteints."])
        #expect(text(.progress(.behind, rateAgainstPlan: 0.4, rateAgainstProrated: 0.8, expected: 0.5), id: "avancement/EPCI", settings: settings)
            == "Les objectifs quantitatifs ne sont pas atteints.")
    }
}
