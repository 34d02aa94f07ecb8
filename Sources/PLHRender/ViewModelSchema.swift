/// Every name the view model offers to templates. The README's template reference is generated from it,
/// templates are checked against it, and the view model is checked to match it.
public enum ViewModelSchema {
    /// A row of a realisation table: one segment, or all segments.
    static let row: [TemplateField] = [
        TemplateField("segment", .text, "libellé du segment, ou « Ensemble » pour la ligne de total"),
        TemplateField("code", .text, "code du segment (`plai`…), ou `ensemble`"),
        TemplateField("a_objectif", .flag, "vrai si le plan fixe un objectif non nul"),
        TemplateField("objectif_plan", .text, "objectif sur toute la durée du PLH : « 2 280 », ou « — »"),
        TemplateField("objectif_a_date", .text, "objectif au prorata des années comptées : « 1 140 », ou « — »"),
        TemplateField("objectif_annuel", .text, "objectif par an : « 380 », ou « — »"),
        TemplateField("production", .text, "logements comptés : « 760 »"),
        TemplateField("rythme_annuel", .text, "production par année comptée : « 253,3 »"),
        TemplateField("taux_plan", .text, "production / objectif du plan : « 33 % », ou « sans objectif »"),
        TemplateField("taux_a_date", .text, "production / objectif à date : « 67 % », ou « sans objectif »"),
        TemplateField("part_production", .text, "part du segment dans la production : « 10 % », ou « — »"),
        TemplateField("part_objectif", .text, "part du segment dans l'objectif : « 13 % », ou « — »"),
    ]

    /// A realisation table for a unit (the EPCI or a category).
    static let table: [TemplateField] = [
        TemplateField("legende", .text, "légende (caption) du tableau"),
        TemplateField("lignes", .list(row), "une ligne par segment, dans l'ordre de plh.yaml"),
        TemplateField("total", .object(row), "la ligne « Ensemble » (tous segments)"),
    ]

    /// A commune named in running text.
    static let communeName: [TemplateField] = [
        TemplateField("code_insee", .text, "« 62498 »"),
        TemplateField("nom", .text, "nom officiel : « Lens » ; à garder d'un bloc (`<span class=\"commune\">`), sans coupure à ses traits d'union"),
        TemplateField("population", .text, "« 30 689 »"),
        TemplateField("separateur", .text, "ce qui suit le nom dans une énumération : « , », « et », ou rien après le dernier"),
    ]

    /// A finding (constat) as a sentence.
    static let finding: [TemplateField] = [
        TemplateField("texte", .text, "« Objectifs de production non atteints : 44 % de l'objectif du PLH réalisé… »"),
        TemplateField("identifiant", .text, "identifiant stable du constat : « avancement/EPCI »"),
        TemplateField("regle", .text, "règle qui l'a produit : avancement, representation, absence, depassement, classement, disparite"),
    ]

    /// A chart: the SVG and the same figures as a table.
    static let chart: [TemplateField] = [
        TemplateField("identifiant", .text, "identifiant HTML unique : « graphique-1 »"),
        TemplateField("titre", .text, "titre du graphique"),
        TemplateField("svg", .html, "le graphique SVG, avec son titre et sa description accessibles"),
        TemplateField("entetes", .list([TemplateField("texte", .text, "en-tête de colonne")]), "en-têtes des colonnes de valeurs du tableau de données"),
        TemplateField("lignes", .list([
            TemplateField("libelle", .text, "libellé de la ligne"),
            TemplateField("valeurs", .list([TemplateField("texte", .text, "valeur mise en forme")]), "les valeurs de la ligne"),
        ]), "lignes du tableau de données"),
    ]

    public static let root: [TemplateField] = [
        TemplateField("document", .object([
            TemplateField("titre", .text, "« Bilan triennal du PLH 2 2014-2020 »"),
            TemplateField("generateur", .text, "« PLH Bilan 0.1.0 »"),
            TemplateField("entete_css", .html, "titre courant des pages imprimées, sous forme de chaîne CSS entre guillemets, à placer dans `content:`"),
            TemplateField("couleur_principale", .text, "couleur des titres, filets et liens, `#rrggbb` : celle de l'EPCI (`couleurs.principale`), ou un ardoise neutre"),
            TemplateField("couleur_claire", .text, "fond du sommaire et des encadrés, `#rrggbb` : `couleurs.claire`, ou une teinte pâle de la principale"),
        ]), "le document"),
        TemplateField("epci", .object([
            TemplateField("nom", .text, "nom de l'EPCI"),
            TemplateField("nom_court", .text, "sigle, ou le nom s'il n'y en a pas : « CALL »"),
            TemplateField("siren", .text, "« 246200364 »"),
            TemplateField("population", .text, "somme des populations des communes : « 242 386 »"),
            TemplateField("a_millesime", .flag, "vrai si le millésime de population est donné"),
            TemplateField("population_millesime", .text, "« 2019 »"),
            TemplateField("nombre_communes", .text, "« 36 communes »"),
            TemplateField("nombre_categories", .text, "« 4 catégories »"),
        ]), "l'intercommunalité"),
        TemplateField("plh", .object([
            TemplateField("nom", .text, "« PLH 2 2014-2020 »"),
            TemplateField("intitule", .text, "le nom, ses années entre parenthèses : « PLH 2 (2014-2020) »"),
            TemplateField("periode", .text, "années du plan : « 2015-2020 »"),
            TemplateField("duree", .text, "« 6 ans »"),
            TemplateField("objectif_plan", .text, "somme des objectifs sur la durée du plan : « 7 860 »"),
            TemplateField("objectif_annuel", .text, "somme des objectifs par an : « 1 310 »"),
            TemplateField("a_objectif", .flag, "vrai si objectifs.csv chiffre au moins un objectif"),
            TemplateField("a_objectif_declare", .flag, "vrai si plh.yaml déclare un objectif annuel total"),
            TemplateField("objectif_declare", .text, "objectif annuel total déclaré dans plh.yaml : « 1 310 »"),
        ]), "le programme local de l'habitat"),
        TemplateField("bilan", .object([
            TemplateField("type", .text, "`annuel`, `triennal` ou `final`"),
            TemplateField("intitule", .text, "« Bilan triennal »"),
            TemplateField("date", .text, "« 25 juin 2019 »"),
            TemplateField("date_iso", .text, "« 2019-06-25 » (pour l'attribut `datetime`)"),
            TemplateField("a_instance", .flag, "vrai si l'instance destinataire est donnée"),
            TemplateField("instance", .text, "« Comité régional de l'habitat et de l'hébergement »"),
            TemplateField("a_date_instance", .flag, "vrai si la date de l'instance est donnée"),
            TemplateField("date_instance", .text, "« 25 juin 2019 »"),
            TemplateField("date_instance_iso", .text, "« 2019-06-25 »"),
            TemplateField("annees", .text, "années comptées : « 2015, 2016 et 2017 »"),
            TemplateField("nombre_annees", .text, "« 3 ans »"),
            TemplateField("stade", .text, "ce qui est compté : « logements autorisés »"),
            TemplateField("attendu", .text, "part de l'objectif du plan attendue à date : « 50 % »"),
            TemplateField("a_source", .flag, "vrai si le projet déclare la source des chiffres (bilan.source)"),
            TemplateField("source", .text, "source des chiffres : « Sitadel, logements autorisés en date réelle »"),
            TemplateField("a_avertissement", .flag, "vrai si un avertissement est donné"),
            TemplateField("avertissement", .text, "avertissement sur les données"),
            TemplateField("a_hors_periode", .flag, "vrai si des lignes de production hors des années comptées ont été ignorées"),
            TemplateField("hors_periode", .text, "« 36 lignes de production hors des années comptées ne sont pas prises en compte »"),
        ]), "le bilan"),
        TemplateField("chapitres", .object([
            TemplateField("cadrage", .text, "numéro du chapitre des données de cadrage : « 1 »"),
            TemplateField("annexes", .text, "numéro du chapitre des annexes : « 5 »"),
        ]), "numéros des chapitres qui ne sont pas des orientations"),
        TemplateField("a_jalons", .flag, "vrai s'il y a des jalons"),
        TemplateField("jalons", .list([
            TemplateField("date", .text, "« 15 décembre 2014 »"),
            TemplateField("date_iso", .text, "« 2014-12-15 »"),
            TemplateField("libelle", .text, "« Adoption du PLH 2 par le conseil communautaire »"),
        ]), "les étapes du plan, dans l'ordre chronologique"),
        TemplateField("categories", .list([
            TemplateField("code", .text, "code de la catégorie"),
            TemplateField("libelle", .text, "« Pôles urbains majeurs »"),
            TemplateField("a_description", .flag, "vrai si la catégorie a une description"),
            TemplateField("description", .text, "description courte"),
            TemplateField("nombre_communes", .text, "« 2 communes »"),
            TemplateField("population", .text, "« 61 625 »"),
            TemplateField("liste_communes", .text, "« Lens et Liévin »"),
            TemplateField("communes", .list(communeName), "les communes de la catégorie"),
        ]), "la typologie communale, dans l'ordre de plh.yaml"),
        TemplateField("orientations", .list([
            TemplateField("numero", .text, "« 1 »"),
            TemplateField("titre", .text, "titre de l'orientation"),
            TemplateField("ancre", .text, "identifiant HTML : « orientation-1 »"),
            TemplateField("chapitre", .text, "numéro du chapitre dans le document : « 2 »"),
            TemplateField("a_bilan_production", .flag, "vrai si l'orientation porte le bilan chiffré de la production"),
            TemplateField("bilan_global", .object(table), "tableau de réalisation de l'EPCI"),
            TemplateField("a_constats", .flag, "vrai s'il y a des constats pour l'EPCI"),
            TemplateField("constats", .list(finding), "constats du bilan global"),
            TemplateField("graphiques_global", .list(chart), "graphiques du bilan global : production et objectifs de l'EPCI, production par année"),
            TemplateField("graphiques_secteurs", .list(chart), "graphiques du bilan sectorisé : production et objectifs par catégorie, parts des segments"),
            TemplateField("a_recit_global", .flag, "vrai si un récit du bilan global est donné"),
            TemplateField("recit_global", .html, "récit du bilan global, en HTML produit par cmark"),
            TemplateField("secteurs", .list([
                TemplateField("code", .text, "code de la catégorie"),
                TemplateField("libelle", .text, "libellé de la catégorie"),
                TemplateField("ancre", .text, "identifiant HTML : « orientation-1-poles_urbains_majeurs »"),
                TemplateField("liste_communes", .text, "« Lens et Liévin »"),
                TemplateField("communes", .list(communeName), "les communes de la catégorie"),
                TemplateField("tableau", .object(table), "tableau de réalisation de la catégorie"),
                TemplateField("a_constats", .flag, "vrai s'il y a des constats pour la catégorie"),
                TemplateField("constats", .list(finding), "constats de la catégorie"),
                TemplateField("a_recit", .flag, "vrai si un commentaire est donné pour la catégorie"),
                TemplateField("recit", .html, "commentaire de la catégorie, en HTML produit par cmark"),
            ]), "bilan sectorisé : une entrée par catégorie"),
            TemplateField("a_perspectives", .flag, "vrai si des perspectives sont données"),
            TemplateField("perspectives", .html, "perspectives, en HTML produit par cmark"),
        ]), "les orientations du plan, dans l'ordre de plh.yaml"),
        TemplateField("communes", .list([
            TemplateField("code_insee", .text, "« 62498 »"),
            TemplateField("nom", .text, "« Lens »"),
            TemplateField("categorie", .text, "libellé de sa catégorie"),
            TemplateField("population", .text, "« 30 689 »"),
            TemplateField("objectif_plan", .text, "objectif communal sur le plan, ou « — »"),
            TemplateField("production", .text, "logements comptés"),
            TemplateField("taux_plan", .text, "« 33 % », ou « sans objectif »"),
            TemplateField("par_segment", .list([TemplateField("texte", .text, "logements comptés dans le segment")]),
                          "production par segment, dans l'ordre de `segments_annexe`"),
        ]), "toutes les communes, dans l'ordre du fichier des communes"),
        TemplateField("a_objectifs_communaux", .flag, "vrai si au moins une commune a un objectif propre"),
        TemplateField("segments_annexe", .list([TemplateField("libelle", .text, "libellé du segment")]),
                      "les segments du plan, en-têtes des colonnes de production par segment de l'annexe"),
        TemplateField("annexes", .list([
            TemplateField("fichier", .text, "« annexes/realisation-categories.csv »"),
            TemplateField("description", .text, "ce que contient le fichier"),
        ]), "les annexes écrites à côté du document : les CSV, puis le classeur annexes.xlsx"),
        TemplateField("a_sources", .flag, "vrai si le projet a des fichiers importés (sources.csv)"),
        TemplateField("sources", .list([
            TemplateField("type", .text, "« Permis de construire (Sitadel) », « Agréments de logements sociaux », « Communes et populations (DGCL) »"),
            TemplateField("fichier", .text, "nom du fichier importé : « PC_DAU_2017_2021.csv »"),
            TemplateField("stade", .text, "ce que le fichier compte : « logements autorisés », ou « — »"),
            TemplateField("date_import", .text, "« 25 juin 2019 »"),
            TemplateField("date_import_iso", .text, "« 2019-06-25 »"),
            TemplateField("lignes_lues", .text, "lignes lues dans le fichier : « 1 250 »"),
            TemplateField("lignes_retenues", .text, "lignes comptées dans le projet : « 310 »"),
            TemplateField("hors_epci", .text, "lignes de communes hors de l'EPCI, non retenues : « 900 »"),
            TemplateField("hors_periode", .text, "lignes d'années hors du plan, non retenues : « 40 »"),
            TemplateField("sha256", .text, "empreinte SHA-256 du fichier (64 caractères hexadécimaux)"),
            TemplateField("sha256_court", .text, "ses 12 premiers caractères"),
        ]), "les fichiers importés (sources.csv), dans l'ordre des imports"),
        TemplateField("a_completer", .flag, "vrai s'il reste des données ou des récits à fournir"),
        TemplateField("a_completer_liste", .list([
            TemplateField("texte", .text, "« Aucun objectif chiffré : remplissez le fichier des objectifs… »"),
        ]), "ce qui reste à fournir : objectifs, production, récits"),
        TemplateField("brouillon", .flag, "vrai pour un brouillon de dépôt (package --brouillon d'un bilan incomplet)"),
    ]
}
