"""French texts of the desktop app (English text in the code → French text).

No-break spaces before ``:`` ``;`` ``?`` ``!`` are added by :func:`siteassess.i18n.localise`,
so the texts here use plain spaces. A test checks that every text of ``siteassess/ui``
has its French version.
"""

from __future__ import annotations

FRENCH: dict[str, str] = {
    # menus and actions
    "&File": "&Fichier",
    "&Recent projects": "Projets &récents",
    "&Layers": "&Couches",
    "&Analysis": "&Analyse",
    "&View": "&Affichage",
    "&Language": "&Langue",
    "&Help": "&Aide",
    "&New project": "&Nouveau projet",
    "&Open a project…": "&Ouvrir un projet…",
    "Open the &sample (Hauts-de-France)": "Ouvrir l’&exemple (Hauts-de-France)",
    "&Save": "&Enregistrer",
    "Save &as…": "Enregistrer &sous…",
    "&Quit": "&Quitter",
    "&Add a layer…": "&Ajouter une couche…",
    "&Re-measure the sites": "&Remesurer les sites",
    "Weights by pairwise &comparison (AHP)…": "Pondération par &comparaison par paires (AHP)…",
    "&Compare brownfields…": "&Comparer des friches…",
    "&Online basemap (OpenStreetMap)": "Fond de carte en &ligne (OpenStreetMap)",
    "Show the &log file": "Afficher le fichier &journal",
    "&About siteassess": "À &propos de siteassess",
    # File ▸ Export (siteassess.ui.exports)
    "Export site re&port…": "Exporter la &fiche du site…",
    "Export &comparison…": "Exporter la &comparaison…",
    "Export a&ll reports…": "Exporter &toutes les fiches…",
    "Export the ran&king…": "Exporter le c&lassement…",
    "Export": "Export",
    "Export site report": "Exporter la fiche du site",
    "Export comparison": "Exporter la comparaison",
    "Export all reports into a folder": "Exporter toutes les fiches dans un dossier",
    "Export the ranking": "Exporter le classement",
    "Select a site in the ranking table first.": (
        "Sélectionnez d’abord une friche dans le classement."
    ),
    "comparison": "comparaison",
    "ranking": "classement",
    "Writing the site report…": "Rédaction de la fiche du site…",
    "Writing the comparison…": "Rédaction de la comparaison…",
    "Writing the reports…": "Rédaction des fiches…",
    "Writing the ranking…": "Écriture du classement…",
    "writing the report of {site}": "rédaction de la fiche de {site}",
    "writing the comparison of {n} sites": "rédaction de la comparaison de {n} sites",
    "report {k} of {n}: {site}": "fiche {k} sur {n} : {site}",
    "writing the ranking": "écriture du classement",
    "report written": "fiche écrite",
    "ranking written": "classement écrit",
    "{n} reports written": "{n} fiches écrites",
    "{n} reports written in {path}.": "{n} fiches écrites dans {path}.",
    "Written: {path}": "Écrit : {path}",
    "Cancelling…": "Annulation…",
    "Export cancelled: nothing was written.": "Export annulé : rien n’a été écrit.",
    "Export failed": "Échec de l’export",
    "Export failed.": "Échec de l’export.",
    "{path} could not be written: {error}. The details are in the log file.": (
        "{path} n’a pas pu être écrit : {error}. Le détail est dans le fichier journal."
    ),
    "Excel workbook (*.xlsx)": "Classeur Excel (*.xlsx)",
    "CSV for Excel (*.csv)": "CSV pour Excel (*.csv)",
    "CSV, plain: column keys, comma, decimal point (*.csv)": (
        "CSV brut : clés des colonnes, virgule, point décimal (*.csv)"
    ),
    "GeoPackage with the outlines (*.gpkg)": "GeoPackage avec les contours (*.gpkg)",
    "JSON document (*.json)": "Document JSON (*.json)",
    "Français": "Français",
    "English": "English",
    # welcome page
    "Where can a {power} data centre go?": "Où implanter un centre de données de {power} ?",
    "Where can a large data centre go?": "Où implanter un grand centre de données ?",
    "siteassess scores candidate brownfields on power supply, flood risk, connectivity and "
    "land, and explains every score from measured values. It works without internet.": (
        "siteassess note les friches candidates sur le raccordement électrique, le risque "
        "d’inondation, la connectivité et le foncier, et explique chaque note par des valeurs "
        "mesurées. Il fonctionne sans internet."
    ),
    "Open the Hauts-de-France sample": "Ouvrir l’exemple Hauts-de-France",
    "Open a project…": "Ouvrir un projet…",
    "New project": "Nouveau projet",
    "Recent projects (double-click to open)": "Projets récents (double-clic pour ouvrir)",
    # main window
    "Weights and parameters": "Pondération et paramètres",
    "Layers": "Couches",
    "Open a project": "Ouvrir un projet",
    "siteassess project": "Projet siteassess",
    "Save the project": "Enregistrer le projet",
    "Add the layers of the project, starting with the sites.": (
        "Ajoutez les couches du projet, en commençant par les sites."
    ),
    "No layers yet. Use “Add…” or drop files on the window, starting with the sites "
    "(brownfields).": (
        "Pas encore de couche. Utilisez « Ajouter… » ou déposez des fichiers sur la fenêtre, "
        "en commençant par les sites (friches)."
    ),
    "Cancelled.": "Annulé.",
    "Working…": "Calcul en cours…",
    "Log file": "Fichier journal",
    "About siteassess": "À propos de siteassess",
    "siteassess {version}: score candidate brownfields for large data centres.": (
        "siteassess {version} : noter les friches candidates pour les grands centres de données."
    ),
    "The project cannot be assessed: see the message.": (
        "Le projet ne peut pas être évalué : voir le message."
    ),
    "The project cannot be assessed": "Le projet ne peut pas être évalué",
    "The project cannot be opened": "Le projet ne peut pas être ouvert",
    "The project cannot be saved": "Le projet ne peut pas être enregistré",
    "The project cannot be restored": "Le projet ne peut pas être restauré",
    "The layer cannot be added": "La couche ne peut pas être ajoutée",
    "Saved {path}": "Enregistré : {path}",
    "ILLUSTRATIVE layers, not real data: {names}.": (
        "Couches ILLUSTRATIVES, pas des données réelles : {names}."
    ),
    "{n} site outline(s) are approximate (not surveyed).": (
        "{n} contour(s) de friche approximatif(s) (non relevés)."
    ),
    "{n} sites assessed.": "{n} sites évalués.",
    "reading the sites": "lecture des sites",
    "reading {x}": "lecture : {x}",
    "measuring {x}": "mesure : {x}",
    "measured": "mesuré",
    "building the map": "dessin de la carte",
    # ranking table
    "Rank": "Rang",
    "Score": "Note",
    "Brownfield": "Friche",
    "P(1st)": "P(1re)",
    "Outline": "Contour",
    "Exclusion": "Exclusion",
    "Commune": "Commune",
    " ({measure} from {low} to {high})": " ({measure} de {low} à {high})",
    "{criterion} does not separate these sites: their values lie between {low} and {high} "
    "on its 0–1 scale, less than {share} of that scale apart{measured}; it adds about the same "
    "points to every score.": "« {criterion} » ne départage pas ces sites : leurs valeurs "
    "vont de {low} à {high} sur son échelle de 0 à 1, un écart inférieur à {share} de "
    "l’échelle{measured} ; il apporte à peu près les mêmes points à chaque note.",
    "Below the {need} kV a {demand} MW campus needs: the score counts substations that cannot "
    "supply it.": "En dessous des {need} kV qu’il faut à un campus de {demand} MW : la note "
    "compte des postes qui ne peuvent pas l’alimenter.",
    "Same land unit as {name} ({id}): one candidate, listed several times in the inventory; "
    "the comparison and the shortlist keep the better record.": "Même unité foncière que "
    "{name} ({id}) : une seule candidature, recensée plusieurs fois dans l’inventaire ; la "
    "comparaison et la liste courte gardent la meilleure fiche.",
    "Land unit": "Unité foncière",
    "same as {name}": "même que {name}",
    "Same land unit as {name}: one candidate, listed several times in the inventory": "Même "
    "unité foncière que {name} : une seule candidature, recensée plusieurs fois dans "
    "l’inventaire",
    "approximate": "approximatif",
    "surveyed": "relevé",
    "site excluded": "exclue",
    "Substation ≥ {min_kv} kV": "Poste ≥ {min_kv} kV",
    "400 kV substation": "Poste 400 kV",
    "RTT to FLAP": "Aller-retour FLAP",
    "Density": "Densité",
    "Approximate outline: not surveyed; areas and distances are estimates.": (
        "Contour approximatif : non relevé ; surfaces et distances sont des estimations."
    ),
    "Probability of ranking first when each weight varies by ±25 %": (
        "Probabilité d’être classée 1re quand chaque poids varie de ±25 %"
    ),
    # labels of criteria, roles, measures
    "Power supply": "Raccordement électrique",
    "Flood risk": "Risque d’inondation",
    "Connectivity (FLAP)": "Connectivité (FLAP)",
    "Land": "Foncier",
    "Sites (brownfields)": "Sites (friches)",
    "Substations": "Postes électriques",
    "Power lines": "Lignes électriques",
    "Flood zones": "Zones inondables",
    "Fibre": "Fibre optique",
    "Internet exchanges": "Points d’échange internet",
    "Cadastral parcels": "Parcelles cadastrales",
    "Context": "Contexte",
    # (flood scenarios and measure labels: siteassess.vocabulary)
    "Area": "Surface",
    "linear: {parts}": "linéaire : {parts}",
    "thresholds: {parts}": "paliers : {parts}",
    "piecewise linear: {parts}": "linéaire par morceaux : {parts}",
    # detail panel
    "No site selected.": "Aucune friche sélectionnée.",
    "Excluded — would score {score} / 100": "Exclue — aurait la note {score} / 100",
    "Rank {rank} of {n} — score {score} / 100": "Rang {rank} sur {n} — note {score} / 100",
    "P(1st) {p}, ranks {lo} to {hi}": "P(1re) {p}, rangs {lo} à {hi}",
    "P(1st) {p}, rank {lo} in every draw": "P(1re) {p}, rang {lo} dans tous les tirages",
    "Excluded because:": "Exclue car :",
    "How the score is made": "Comment la note est calculée",
    "Criterion": "Critère",
    "Measured value": "Valeur mesurée",
    "Measure scored: {v}": "Mesure notée : {v}",
    "Value function: {v}": "Fonction de valeur : {v}",
    "Data source: {v}": "Source des données : {v}",
    "Value (0–1)": "Valeur (0–1)",
    "Weight": "Poids",
    "Points": "Points",
    "Score (sum of the points)": "Note (somme des points)",
    "source not given": "source non indiquée",
    "Every measured value": "Toutes les valeurs mesurées",
    "Data issues": "Problèmes de données",
    "No data issue for this site.": "Aucun problème de données pour cette friche.",
    "Notes:": "Notes :",
    "ILLUSTRATIVE": "ILLUSTRATIF",
    # weights and parameters
    "Weights": "Pondération",
    "Pairwise comparison (AHP)…": "Comparaison par paires (AHP)…",
    "Derive the weights from pairwise judgements": "Déduire les poids de jugements par paires",
    "Give at least one criterion a weight above 0.": (
        "Donnez un poids non nul à au moins un critère."
    ),
    "Direct weights, shown as shares of their total.": (
        "Poids directs, affichés en part de leur total."
    ),
    "Weights from the AHP comparison (consistency ratio {cr}).": (
        "Poids issus de la comparaison AHP (ratio de cohérence {cr})."
    ),
    "Criteria parameters (re-measure)": "Paramètres des critères (remesure)",
    "Campus power demand": "Puissance du campus",
    "Minimum substation voltage": "Tension minimale du poste",
    "Fibre route factor": "Facteur de détour de la fibre",
    "Flood exclusion: scenario": "Exclusion inondation : scénario",
    "Flood exclusion: share above": "Exclusion inondation : part au-delà de",
    "Minimum site area": "Surface minimale",
    "from the demand (default)": "selon la puissance (par défaut)",
    "Length of the fibre route divided by the straight-line distance (usually 1.2–1.5)": (
        "Longueur du tracé de la fibre divisée par la distance à vol d’oiseau "
        "(en général 1,2 à 1,5)"
    ),
    "A site is excluded when more than this share of it lies in the zone": (
        "Une friche est exclue quand une part plus grande que celle-ci est dans la zone"
    ),
    # AHP dialog
    "Weights by pairwise comparison (AHP)": "Pondération par comparaison par paires (AHP)",
    "Row compared with column: 1 equal, 3 moderately, 5 strongly, 7 very strongly, 9 "
    "extremely more important; 1/3, 1/5… when the column matters more.": (
        "Ligne comparée à la colonne : 1 importance égale, 3 modérément, 5 fortement, "
        "7 très fortement, 9 extrêmement plus importante ; 1/3, 1/5… quand la colonne compte "
        "davantage."
    ),
    "How much more important is {a} than {b}?": "Combien {a} est-il plus important que {b} ?",
    "Use these weights": "Utiliser ces poids",
    "Use these weights although the judgements are inconsistent": (
        "Utiliser ces poids malgré l’incohérence des jugements"
    ),
    "acceptable": "acceptable",
    "too inconsistent": "trop incohérent",
    "Consistency ratio: {cr} ({verdict}; the limit is {limit})": (
        "Ratio de cohérence : {cr} ({verdict} ; la limite est {limit})"
    ),
    "The judgements are consistent.": "Les jugements sont cohérents.",
    "Most inconsistent judgement: {a} vs {b}: entered {entered}, while the other judgements "
    "imply about {implied}.": (
        "Jugement le plus incohérent : {a} / {b} : saisi {entered}, alors que les autres "
        "jugements impliquent environ {implied}."
    ),
    "Weights: {weights}": "Poids : {weights}",
    "Invalid entry: {error}": "Saisie invalide : {error}",
    "{a} vs {b}: {text!r} is not a judgement; type 3, 1/3 or 0,5": (
        "{a} / {b} : {text!r} n’est pas un jugement ; tapez 3, 1/3 ou 0,5"
    ),
    # screening
    "&Screen the whole inventory…": "&Cribler tout l’inventaire…",
    "Screen the whole inventory": "Cribler tout l’inventaire",
    "Scores every site of the sites layer with the project's criteria and weights, and "
    "writes the ranking to a file.": (
        "Note chaque friche de la couche des sites avec les critères et les poids du projet, "
        "et écrit le classement dans un fichier."
    ),
    "Leave out sites smaller than": "Écarter les friches de moins de",
    "e.g. friche sans projet; friche potentielle": "ex. friche sans projet; friche potentielle",
    "no shortlist": "pas de liste courte",
    "Keep only the statuses (separated by ;)": "Garder seulement les statuts (séparés par ;)",
    "Ranking file": "Fichier du classement",
    "Shortlist project of the best sites": "Projet des meilleures friches (liste courte)",
    "Screen": "Cribler",
    "{ranked} sites ranked, {excluded} excluded by a rule, {left} left out by the filters. "
    "Ranking written to {path}.": (
        "{ranked} friches classées, {excluded} exclues par une règle, {left} écartées par les "
        "filtres. Classement écrit dans {path}."
    ),
    "Shortlist project: {path}.": "Projet de la liste courte : {path}.",
    "Screening done": "Criblage terminé",
    "Open the shortlist": "Ouvrir la liste courte",
    "Close": "Fermer",
    # compare view
    "Compare brownfields": "Comparer des friches",
    "Tick two to five sites.": "Cochez de deux à cinq friches.",
    "At most five sites can be compared.": "On peut comparer au plus cinq friches.",
    "★ marks the best value of each row.": "★ marque la meilleure valeur de chaque ligne.",
    "Score (out of 100)": "Note (sur 100)",
    "P(1st) among all sites": "P(1re) parmi toutes les friches",
    "P(1st) among these sites": "P(1re) parmi ces friches",
    "{criterion}: points (weight {w})": "{criterion} : points (poids {w})",
    "Nearest eligible substation": "Poste éligible le plus proche",
    "Criterion values (0 = worst, 1 = best)": "Valeurs des critères (0 = pire, 1 = meilleur)",
    "same scale in every inset": "même échelle dans chaque vignette",
    "At least two of the compared sites must be ranked (not excluded).": (
        "Au moins deux des friches comparées doivent être classées (non exclues)."
    ),
    "To swap {a} (first here) and {b}:": "Pour inverser {a} (1re ici) et {b} :",
    "no change of a single weight makes them swap.": (
        "aucun changement d’un seul poids ne les inverse."
    ),
    "the {criterion} weight from {before} to {after}": (
        "le poids « {criterion} » de {before} à {after}"
    ),
    " or ": " ou ",
    "(the other weights rescaled in proportion; beyond that point the order flips)": (
        "(les autres poids ajustés au prorata ; au-delà, l’ordre s’inverse)"
    ),
    # layers panel and dialogs
    "Layer": "Couche",
    "CRS": "SCR",
    "Feature count": "Entités",
    "State": "État",
    "Add…": "Ajouter…",
    "Remove": "Retirer",
    "Set the CRS…": "Définir le SCR…",
    "error": "erreur",
    "not read": "non lue",
    "OK": "OK",
    "{n} problem(s)": "{n} problème(s)",
    "File": "Fichier",
    "Role": "Rôle",
    "Format": "Format",
    "CRS of the file": "SCR du fichier",
    "Source": "Source",
    "Read": "Lecture",
    "only near the sites (read window)": "seulement près des sites (fenêtre de lecture)",
    "Error": "Erreur",
    "Use “Set the CRS…” to give this layer its CRS.": (
        "Utilisez « Définir le SCR… » pour donner son SCR à cette couche."
    ),
    "Problems and notes": "Problèmes et remarques",
    "All files": "Tous les fichiers",
    "Add a layer": "Ajouter une couche",
    "Browse…": "Parcourir…",
    "from the file": "celui du fichier",
    "Name (optional)": "Nom (facultatif)",
    "CSV: x or longitude column": "CSV : colonne x ou longitude",
    "CSV: y or latitude column": "CSV : colonne y ou latitude",
    "Source (provenance)": "Source (provenance)",
    "Add": "Ajouter",
    "Cancel": "Annuler",
    "Set the CRS of a layer": "Définir le SCR d’une couche",
    "Use this CRS": "Utiliser ce SCR",
    "The CRS tells how to read the coordinates of {layer}. Longitude and latitude in "
    "degrees: EPSG:4326. Lambert-93 in metres: EPSG:2154.": (
        "Le SCR (système de coordonnées) indique comment lire les coordonnées de {layer}. "
        "Longitude et latitude en degrés : EPSG:4326. Lambert-93 en mètres : EPSG:2154."
    ),
    "{crs} is not a CRS pyproj knows; write it as EPSG:2154": (
        "{crs} n’est pas un SCR connu ; écrivez-le sous la forme EPSG:2154"
    ),
    # messages and questions
    "Unsaved changes": "Modifications non enregistrées",
    "The project {name} has unsaved changes. Save them?": (
        "Le projet {name} a des modifications non enregistrées. Les enregistrer ?"
    ),
    "Save": "Enregistrer",
    "Don't save": "Ne pas enregistrer",
    "Restore the project?": "Restaurer le projet ?",
    "siteassess closed unexpectedly. The project {name} was saved automatically on {time}. "
    "Restore it?": (
        "siteassess s’est fermé de façon inattendue. Le projet {name} a été enregistré "
        "automatiquement le {time}. Le restaurer ?"
    ),
    "Restore": "Restaurer",
    "Discard it": "L’abandonner",
    "Unexpected error": "Erreur inattendue",
    "Something unexpected went wrong ({error}).": "Une erreur inattendue s’est produite ({error}).",
    "Your project was saved automatically to {path}.": (
        "Votre projet a été enregistré automatiquement dans {path}."
    ),
    "Your project is unchanged.": "Votre projet n’a pas été modifié.",
    "Details are in {path}; please send that file with your report.": (
        "Les détails sont dans {path} ; joignez ce fichier à votre signalement."
    ),
    # map
    'Add a layer with the role "Sites (brownfields)" to assess the project.': (
        "Ajoutez une couche de rôle « Sites (friches) » pour évaluer le projet."
    ),
    "The map appears once the project is assessed.": (
        "La carte apparaît une fois le projet évalué."
    ),
    "Drawing the map…": "Dessin de la carte…",
    "The map cannot be shown: QtWebEngine is not available.": (
        "La carte ne peut pas être affichée : QtWebEngine n’est pas disponible."
    ),
    "The map could not be drawn: {error}": "La carte n’a pas pu être dessinée : {error}",
    "&Background tiles (offline)": "&Tuiles de fond (hors ligne)",
    "From an &MBTiles file…": "Depuis un fichier &MBTiles…",
    "From a &folder of XYZ tiles…": "Depuis un &dossier de tuiles XYZ…",
    "&No background tiles": "&Pas de tuiles de fond",
    "Background tiles": "Tuiles de fond",
    "MBTiles file": "Fichier MBTiles",
    "The background tiles cannot be used": "Les tuiles de fond ne peuvent pas être utilisées",
    # layers on a network share (ui/document.py)
    "Layers on a network share": "Couches sur un partage réseau",
    "This project reads layers on a network share:\n{layers}\n\nReading them connects "
    "this computer to {hosts} (on Windows, with your credentials). Open them?": (
        "Ce projet lit des couches sur un partage réseau :\n{layers}\n\nLes lire connecte "
        "cet ordinateur à {hosts} (sous Windows, avec vos identifiants). Les ouvrir ?"
    ),
    "{file} was not opened: it reads layers on a network share, which you did not "
    "allow:\n{layers}\nCopy these files to a local folder and change their paths in "
    "the project, or open it again and answer yes.": (
        "{file} n’a pas été ouvert : il lit des couches sur un partage réseau, ce que vous "
        "n’avez pas accepté :\n{layers}\nCopiez ces fichiers dans un dossier local et "
        "changez leurs chemins dans le projet, ou rouvrez-le et répondez oui."
    ),
}
