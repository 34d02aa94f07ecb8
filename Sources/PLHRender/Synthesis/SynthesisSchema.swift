/// Every name the comparison document (synthèse) offers to its template, `synthese.mustache`.
public enum SynthesisSchema {
    public static let rootName = "synthese"

    static let row: [TemplateField] = [
        TemplateField("siren", .text, "SIREN de l'EPCI, vide pour un total"),
        TemplateField("nom", .text, "nom de l'EPCI, ou du total"),
        TemplateField("departement", .text, "département du siège"),
        TemplateField("regroupement", .text, "regroupement défini par l'observatoire, ou vide"),
        TemplateField("rang", .text, "rang dans son groupe par taux de réalisation du PLH, vide pour un total"),
        TemplateField("a_lien", .flag, "vrai si le bilan de l'EPCI a été produit"),
        TemplateField("lien", .text, "lien relatif vers le bilan : « ../200000172-cc-exemple/bilan.html »"),
        TemplateField("objectif_plan", .text, "objectif du PLH : « 2 280 », ou « — »"),
        TemplateField("objectif_a_date", .text, "objectif à date, ou « — »"),
        TemplateField("production", .text, "logements comptés"),
        TemplateField("taux_plan", .text, "« 33 % », ou « sans objectif »"),
        TemplateField("taux_a_date", .text, "« 67 % », ou « sans objectif »"),
        TemplateField("parts", .list([TemplateField("texte", .text, "« 12 % », ou « — »")]), "part de chaque segment dans la production, dans l'ordre de `segments`"),
    ]

    static let group: [TemplateField] = [
        TemplateField("code", .text, "département, « Pas-de-Calais (62) », ou nom du regroupement"),
        TemplateField("ancre", .text, "identifiant HTML"),
        TemplateField("nombre_epci", .text, "« 12 EPCI »"),
        TemplateField("total", .object(row), "la ligne de total du groupe"),
        TemplateField("epci", .list(row), "les EPCI du groupe, classés par taux de réalisation du PLH"),
    ]

    public static let root: [TemplateField] = [
        TemplateField("document", .object([
            TemplateField("titre", .text, "« Synthèse des bilans de PLH »"),
            TemplateField("generateur", .text, "« PLH Bilan 0.1.0 »"),
            TemplateField("entete_css", .html, "titre courant des pages imprimées, en chaîne CSS"),
            TemplateField("couleur_principale", .text, "couleur des titres, filets et liens, `#rrggbb` : celle de l'EPCI (`couleurs.principale`), ou un ardoise neutre"),
            TemplateField("couleur_claire", .text, "fond du sommaire et des encadrés, `#rrggbb` : `couleurs.claire`, ou une teinte pâle de la principale"),
        ]), "le document"),
        TemplateField("synthese", .object([
            TemplateField("nombre_epci", .text, "« 1 255 EPCI »"),
            TemplateField("nombre_echecs", .text, "« 2 EPCI non rendus »"),
            TemplateField("a_echecs", .flag, "vrai si des EPCI n'ont pas pu être rendus"),
            TemplateField("date", .text, "date des bilans, « 30 juin 2026 », ou « dates diverses »"),
            TemplateField("bilans", .text, "« bilans du 30 juin 2026 », ou « bilans de dates diverses »"),
            TemplateField("a_familles", .flag, "vrai si les EPCI, aux segments différents, sont comparés par famille de segments"),
            TemplateField("familles", .text, "les familles comparées : « locatif social, accession et locatif privé »"),
            TemplateField("stade", .text, "ce qui est compté, « logements autorisés », ou « stades divers »"),
        ]), "la synthèse"),
        TemplateField("segments", .list([TemplateField("libelle", .text, "libellé du segment")]), "les segments, en-têtes des colonnes de parts"),
        TemplateField("national", .object(row), "le total de tous les EPCI"),
        TemplateField("departements", .list(group), "un groupe par département du siège, dans l'ordre des codes"),
        TemplateField("a_regroupements", .flag, "vrai si l'observatoire définit des regroupements"),
        TemplateField("regroupement_libelle", .text, "nom du regroupement : « Secteur du PDH du Nord »"),
        TemplateField("regroupements", .list(group), "un groupe par regroupement"),
        TemplateField("graphiques", .list(ViewModelSchema.chart), "graphiques de la synthèse"),
    ]
}
