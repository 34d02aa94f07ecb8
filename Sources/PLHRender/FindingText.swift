import PLHCompute
import PLHBase
import PLHModel

/// The French sentence of each finding, as an officer would write it: « L'accession est sous-représentée :
/// 35 % de la production pour 50 % des objectifs. » Segments and families are named by their label in running
/// text, with the article and agreement their head word takes (`NounPhrase`).
public enum FindingText {
    public static func text(_ finding: Finding, settings: FindingSettings) -> String {
        if let override = settings.texts[finding.id] { return override }
        switch finding.kind {
        case let .progress(progress, rate, prorated, expected):
            let done = "\(French.percent(rate)) de l'objectif du PLH réalisé, pour \(French.percent(expected)) attendus à cette date"
            switch progress {
            case .reached:
                return "Objectif du PLH atteint : \(French.percent(rate)) de l'objectif de production du plan."
            case .ahead:
                return "Objectif à date dépassé : \(done), soit \(French.percent(prorated)) de l'objectif à date."
            case .onTrack:
                return "Objectifs de production en bonne voie : \(done) (\(French.percent(prorated)) de l'objectif à date)."
            case .behind:
                return "Objectifs de production non atteints : \(done) (\(French.percent(prorated)) de l'objectif à date)."
            }
        case let .excess(_, item):
            // The rate against the objective at date is the progress finding's: this one says what it does to the territory.
            return "Décalage marqué avec le reste du territoire : \(French.percent(item.value)) de la production de l'EPCI "
                + "pour \(French.percent(item.reference ?? 0)) de ses objectifs."
        case let .withoutObjective(dwellings, items):
            let detail = items.count > 1
                ? " (" + items.map { "\(French.integer(Int($0.value))) en \(NounPhrase($0.label).bare)" }.joined(separator: ", ") + ")"
                : items.first.map { " en \(NounPhrase($0.label).bare)" } ?? ""
            return "\(French.capitalised(French.count(dwellings, "logement"))) \(dwellings > 1 ? "ont été comptés" : "a été compté")"
                + "\(detail) là où le PLH ne fixe pas d'objectif : \(dwellings > 1 ? "ils sont" : "il est") hors des taux de réalisation."
        case let .representation(over, item):
            let phrase = NounPhrase(item.label)
            let adjective = (over ? "sur-représenté" : "sous-représenté") + (phrase.feminine ? "e" : "") + (phrase.plural ? "s" : "")
            var sentence = "\(French.capitalised(phrase.definite)) \(phrase.plural ? "sont" : "est") \(adjective) : \(French.percent(item.value)) de la production "
                + "pour \(French.percent(item.reference ?? 0)) des objectifs"
            if !item.members.isEmpty {
                sentence += ", dont " + French.list(item.members.map {
                    "\(French.percent($0.value)) pour \(French.percent($0.reference ?? 0)) en \(NounPhrase($0.label).bare)"
                })
            }
            return sentence + "."
        case let .noProduction(item):
            let objective = item.objective.map { ", pour un objectif de \(French.count(Int($0.rounded()), "logement")) sur la durée du PLH" } ?? ""
            return "Aucun logement en \(NounPhrase(item.label).bare)\(objective)."
        case let .exceeded(items):
            let list = French.list(items.map { "\(French.percent($0.value)) en \(NounPhrase($0.label).bare)" })
            return "L'objectif du PLH est déjà dépassé : \(list)."
        case let .ranking(items):
            return "Classement des catégories par réalisation de l'objectif du PLH : \(ranking(items))."
        case let .disparity(items):
            guard let highest = items.first, let lowest = items.last else { return "" }
            return "Forte disparité entre les catégories de communes, de \(French.percent(lowest.value)) à "
                + "\(French.percent(highest.value)) de l'objectif du PLH : \(ranking(items))."
        }
    }

    /// `communes résidentielles 65 %, pôles urbains majeurs 33 %`.
    static func ranking(_ items: [Finding.Item]) -> String {
        items.map { "\(lowercasedFirst($0.label)) \(French.percent($0.value))" }.joined(separator: ", ")
    }

    static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        // Keep acronyms (« PLAI ») as they are.
        if text.count > 1, text[text.index(after: text.startIndex)].isUppercase { return text }
        return first.lowercased() + text.dropFirst()
    }
}

/// A segment's or a family's label as running text: `locatif social hors PLAI`, with its definite article
/// (`le locatif social`, `l'accession sociale`, `le PLAI`) and gender. The head word (the first) decides: the
/// words of housing plans that are feminine are listed; other words, adjectives used as nouns (`le locatif`,
/// `l'intermédiaire`) and acronyms, are masculine.
struct NounPhrase {
    /// The label with a lower-case first letter unless it is an acronym.
    let bare: String
    let feminine: Bool
    /// A head word in -s or -x, not an acronym: `logements sociaux`, `résidences sociales`.
    let plural: Bool

    static let feminineHeads: Set<String> = [
        "accession", "acquisition", "acquisition-amélioration", "amélioration", "colocation", "construction", "habitation",
        "location", "maison", "offre", "opération", "pension", "primo-accession", "production", "réhabilitation",
        "résidence", "rénovation", "reconstitution", "vente", "propriété", "accédante", "copropriété",
    ]

    static let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y", "é", "è", "ê", "â", "î", "ô", "û", "h", "A", "E", "I", "O", "U"]

    init(_ label: String) {
        bare = FindingText.lowercasedFirst(label)
        let word = bare.prefix { !$0.isWhitespace && $0 != "," && $0 != "(" }
        let acronym = word.count > 1 && word.allSatisfy { $0.isUppercase || $0.isNumber }
        var head = word.lowercased()
        plural = !acronym && (head.hasSuffix("s") || head.hasSuffix("x")) && head.count > 3
        if plural { head = String(head.dropLast()) }
        feminine = Self.feminineHeads.contains(head)
    }

    /// With its definite article: `l'` before a vowel or a mute h (`l'habitat`), never before an acronym
    /// spelt with consonants (`le PLS`).
    var definite: String {
        guard let first = bare.first else { return bare }
        if plural { return "les " + bare }
        if Self.vowels.contains(first) { return "l'" + bare }
        return (feminine ? "la " : "le ") + bare
    }
}
