import PLHLoad
import PLHBase
import PLHModel

/// The files `plh-bilan init` writes, every one explained in French for the officer who will edit it.
struct ProjectTemplate {
    let siren: String
    let epci: ProjectInitialiser.Membership
    let vintage: String
    let years: ClosedRange<Int>
    let today: CalendarDate
    let source: SourceRecord
    var bilan = ProjectInitialiser.BilanChoice()

    static let category = "toutes"

    var files: [(path: String, text: String)] {
        [("plh.yaml", plan), ("communes.csv", communes), ("objectifs.csv", "categorie;code_insee;segment;logements;periode\n"),
         ("production.csv", "code_insee;commune;annee;segment;logements;source\n"), ("sources.csv", SourcesFile.text([source])),
         ("recits/bilan-global.md", globalNarrative), ("recits/perspectives.md", perspectives)]
    }

    var communes: String {
        var out = "code_insee;commune;population;categorie\n"
        let sorted = epci.communes.sorted { (normalisedName($0.name), $0.code) < (normalisedName($1.name), $1.code) }
        for c in sorted { out += "\(c.code);\(csvField(c.name));\(c.population);\(Self.category)\n" }
        return out
    }

    /// A YAML double-quoted scalar.
    func q(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    var plan: String {
        let date = bilan.date ?? today
        let counted = bilan.countedYears(of: years, date: date)
        return """
        # Projet créé par « plh-bilan init » le \(today.iso8601) à partir du fichier des EPCI de la DGCL
        # (\(source.file)). Chaque clé est expliquée ; les lignes commençant par « # » sont des commentaires.
        # Vérifier le projet : plh-bilan check DOSSIER ; produire le bilan : plh-bilan render DOSSIER.

        epci:                           # l'intercommunalité dont le PLH est évalué
          nom: \(q(epci.name))        # nom officiel de l'EPCI (DGCL), affiché sur la couverture
          # sigle: XXX                  # facultatif : nom court utilisé dans les tableaux (par exemple CALL)
          siren: "\(siren)"             # SIREN de l'EPCI, 9 chiffres, toujours entre guillemets
          population_millesime: "\(vintage)"   # millésime des populations de communes.csv (population municipale)

        plh:                            # le programme local de l'habitat
          nom: \(q("PLH \(years.lowerBound)-\(years.upperBound)"))        # intitulé du plan, par exemple « PLH 2 2014-2020 »
          premiere_annee: \(years.lowerBound)   # première année du plan (incluse) : à vérifier
          derniere_annee: \(years.upperBound)   # dernière année du plan (incluse) : six ans en tout pour un PLH
          # objectif_annuel: 1310       # facultatif : objectif total de logements par an annoncé par le plan

        # jalons:                       # facultatif : les étapes du plan, dates au format 2019-12-15 ou 15/12/2019
        #   - date: \(years.lowerBound - 1)-12-15
        #     libelle: Adoption du PLH par le conseil communautaire

        bilan:                          # le bilan à produire
          type: \(bilan.kind.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0))# annuel, triennal (ou mi-parcours) ou final
          date: \(date.iso8601)              # date du bilan
          # instance: Comité régional de l'habitat et de l'hébergement (CRHH)   # facultatif : à qui il est présenté
          # date_instance: \(today.iso8601)     # facultatif : date de cette présentation
          annees: \(counted.lowerBound)-\(counted.upperBound)              # années de production comptées, dans la période du plan
          stade: \(bilan.stage.code.padding(toLength: 23, withPad: " ", startingAt: 0))# ce qui est compté : autorises, commences, acheves ou agrees ;
                                        # doit être le stade des fichiers importés (plh-bilan import sitadel --stage)
          # source: Sitadel, logements autorisés en date réelle, données arrêtées en février 2019
          #                             # facultatif : d'où viennent les chiffres quand aucun fichier n'est importé

        categories:                     # la typologie communale : chaque commune de communes.csv est dans une catégorie
          - code: \(Self.category)                # code utilisé dans communes.csv et objectifs.csv
            libelle: Toutes les communes  # libellé affiché dans le bilan
            description: Typologie à définir   # facultatif ; ajoutez des catégories (pôles, bourgs…) et
                                               # répartissez les communes dans la colonne categorie de communes.csv

        segments:                       # les segments de production suivis, dans l'ordre des tableaux
          - code: locatif_social        # code utilisé dans objectifs.csv et production.csv
            libelle: Locatif social     # libellé affiché dans le bilan
            famille: locatif social     # facultatif : regroupe des segments dans les constats
            sitadel: locatif_social     # facultatif : reçoit les logements locatifs sociaux des permis
                                        # (Sitadel NB_LGT_PRET_LOC_SOCIAL) importés par plh-bilan import sitadel
            # Pour suivre PLAI, PLUS et PLS séparément, remplacez ce segment par trois segments
            # (codes plai, plus, pls) sans clé sitadel, et importez les agréments :
            # plh-bilan import agrements FICHIER --project DOSSIER --mapping correspondance.yaml
            # Sitadel ne distingue pas ces produits ; un segment ne doit recevoir qu'un type de source.
          - code: accession_sociale     # accession sociale : PSLA, BRS, autres accessions aidées
            libelle: Accession sociale  # libellé affiché dans le bilan
            famille: accession          # regroupe les segments d'accession dans les constats (ajoutez-la à un
                                        # segment d'accession libre, s'il est suivi à part)
            sitadel: accession_sociale  # reçoit l'accession sociale des permis (NB_LGT_ACC_SOC_HORS_PTZ)
          - code: libre                 # accession libre et locatif privé
            libelle: "Marché libre : accession et locatif privé"   # libellé affiché dans le bilan
                                        # pas de famille : ce segment mêle accession et location privée
            sitadel: libre              # reçoit le reste des logements des permis (total moins les logements sociaux)

        # fichiers:                     # facultatif : ce sont les noms par défaut
        #   communes: communes.csv
        #   objectifs: objectifs.csv
        #   production: production.csv
        #   sources: sources.csv        # la trace des fichiers importés, écrite par plh-bilan init et import
        #   encodage: auto              # auto (détecté), utf-8 ou windows-1252

        orientations:                   # les orientations du programme d'actions, dans l'ordre du plan
          - titre: Produire une offre de logements diversifiée   # intitulé de l'orientation, à reprendre du PLH
            bilan_production: oui       # cette orientation porte les tableaux chiffrés de la production
            bilan_global: recits/bilan-global.md    # le récit du bilan global (Markdown)
            # categories:               # facultatif : un commentaire par catégorie
            #   \(Self.category): recits/toutes.md
            perspectives: recits/perspectives.md   # les perspectives (Markdown)

        # options:
        #   html_brut: non              # oui pour garder le HTML des récits (textes de confiance seulement)

        # constats:                     # facultatif : réglage des constats rédigés à partir des chiffres
        #   en_bonne_voie: 90           # % de l'objectif à date au-delà duquel un objectif est « en bonne voie »
        #   exces: 120                  # % de l'objectif à date au-delà duquel une catégorie est en décalage marqué
        #   ecart_relatif: 25           # écart, en % de la part prévue, entre part dans la production et part dans les objectifs
        #   ecart_minimum: 10           # et au moins ce nombre de logements d'écart
        #   disparite: 20               # points d'écart entre catégories
        #   nombre: 5                   # constats au plus par catégorie, les plus importants d'abord
        #   desactiver: [classement]    # règles à éteindre

        """
    }

    var globalNarrative: String {
        """
        <!--
        Bilan global de la production, pour l'ensemble de l'EPCI : ce que disent les chiffres
        (objectifs atteints ou non, segments sur- ou sous-représentés), et pourquoi.
        Ces commentaires ne paraissent pas dans le bilan ; tant que ce fichier ne contient que
        des titres et des commentaires, le bilan affiche « À rédiger ».
        Un récit peut citer les chiffres calculés : plh-bilan chiffres DOSSIER les affiche tous.
        -->

        ## Constats

        <!-- Les principaux constats, par exemple l'avancement par rapport à l'objectif à date. -->

        ## Explications

        <!-- Le contexte : marché, opérations retardées, foncier, financements… -->

        """
    }

    var perspectives: String {
        """
        <!--
        Perspectives : ce que l'EPCI fera d'ici la fin du plan pour atteindre ses objectifs.
        Ces commentaires ne paraissent pas dans le bilan ; tant que ce fichier ne contient que
        des titres et des commentaires, le bilan affiche « À rédiger ».
        -->

        ## Actions à poursuivre

        ## Actions nouvelles

        """
    }
}
