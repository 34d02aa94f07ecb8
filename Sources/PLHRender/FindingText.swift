import PLHCompute
import PLHBase
import PLHModel

/// The French sentence of each finding. Segments are named through « segment » or « ensemble »,
/// both masculine, so that every sentence agrees whatever the segment's own gender.
public enum FindingText {
    public static func text(_ finding: Finding, settings: FindingSettings) -> String {
        if let override = settings.texts[finding.id] { return override }
        switch finding.kind {
        case let .progress(progress, rate, prorated, expected):
            let done = "\(French.percent(rate)) de l'objectif du PLH réalisé, pour \(French.percent(expected)) attendus à cette date"
            switch progress {
            case .reached:
                return "Objectif du PLH atteint : \(French.percent(rate)) de l'objectif de production du plan."
            case .onTrack:
                return "Objectifs de production en bonne voie : \(done) (\(French.percent(prorated)) de l'objectif à date)."
            case .behind:
                return "Objectifs de production non atteints : \(done) (\(French.percent(prorated)) de l'objectif à date)."
            }
        case let .representation(over, item):
            let name = item.isFamily ? "Ensemble « \(item.label) »" : "Segment « \(item.label) »"
            return "\(name) \(over ? "sur-représenté" : "sous-représenté") : \(French.percent(item.value)) de la production pour \(French.percent(item.reference ?? 0)) des objectifs."
        case let .noProduction(item):
            let objective = item.objective.map { ", pour un objectif de \(French.count(Int($0.rounded()), "logement")) sur la durée du PLH" } ?? ""
            return "Aucune production en « \(item.label) »\(objective)."
        case let .exceeded(items):
            let list = French.list(items.map { "« \($0.label) » (\(French.percent($0.value)))" })
            return "Objectif du PLH déjà dépassé pour \(list)."
        case let .ranking(items):
            let list = items.enumerated().map { "\($0.offset + 1). \(lowercasedFirst($0.element.label)) (\(French.percent($0.element.value)))" }
            return "Classement des catégories par réalisation de l'objectif du PLH : \(list.joined(separator: ", "))."
        case let .disparity(lowest, highest):
            return "Forte disparité entre les catégories de communes : de \(French.percent(lowest.value)) (\(lowercasedFirst(lowest.label))) à \(French.percent(highest.value)) (\(lowercasedFirst(highest.label))) de l'objectif du PLH."
        }
    }

    static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        // Keep acronyms (« PLAI ») as they are.
        if text.count > 1, text[text.index(after: text.startIndex)].isUppercase { return text }
        return first.lowercased() + text.dropFirst()
    }
}
