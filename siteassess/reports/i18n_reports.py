"""Report texts in French and English, and how reports write numbers and names.

Texts are written in English in the code, always through :func:`tr` with a literal first
argument (a test checks that each has a French entry in :data:`FRENCH`). The catalogue is
registered with :func:`siteassess.i18n.register` when this module is imported.
"""

from __future__ import annotations

import math
import re
from typing import Any

from siteassess.i18n import format_number, french_punctuation, localise, register, translate

__all__ = [
    "FRENCH",
    "display_name",
    "distance_text",
    "measure_text",
    "number",
    "percent",
    "tr",
]


# English texts asked for in French without a French entry (the tests keep this empty).
UNTRANSLATED: set[str] = set()


def tr(text: str, lang: str, /, **values: Any) -> str:
    """``text`` in ``lang`` (French punctuation applied), then filled with ``values``.

    The reports' own catalogue comes first, so that another package registering the same
    English text differently cannot change a report; other catalogues are the fallback.
    """
    if lang == "fr":
        french = FRENCH.get(text)
        if french is None:
            UNTRANSLATED.add(text)
            french = translate(text, lang)
        out = french_punctuation(french)
    else:
        out = localise(text, lang)
    out = _UNIT_SPACE.sub("\u00a0", out)
    return out.format(**values) if values else out


# A number and its unit stay on one line: "400 kV" → "400\u00a0kV".
_UNIT_SPACE = re.compile(r"(?<=\d) (?=(?:kV|MW|GW|km|ms|ha|m|µs/km|ans|years|MW/ha)\b)")


def colon(lang: str) -> str:
    """The separator after a label: ``": "``, with a no-break space before it in French."""
    return "\u00a0: " if lang == "fr" else ": "


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' missing values: "not measured", never 0."""
    if value is None:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return False


def number(value: Any, lang: str, decimals: int = 1, unit: str = "") -> str:
    """A number with the language's decimal mark and a no-break space before its unit."""
    if is_missing(value):
        return format_number(None, lang)
    shown = round(float(value), decimals)
    return format_number(shown if shown != 0 else 0.0, lang, decimals, unit)  # never "-0.0"


def percent(share: Any, lang: str, decimals: int = 1) -> str:
    """A share 0..1 as a percentage (``0.25`` → ``25.0%``, ``25,0 %`` in French)."""
    if is_missing(share):
        return format_number(None, lang)
    return format_number(float(share) * 100, lang, decimals, "%")


def distance_text(metres: Any, lang: str) -> str:
    """A distance: whole metres below 1 km, else km with one decimal (``650 m``, ``3.9 km``)."""
    if is_missing(metres):
        return format_number(None, lang)
    m = float(metres)
    if abs(m) < 1000:
        return format_number(m, lang, 0, "m")
    return format_number(m / 1000, lang, 1, "km")


def display_name(name: Any) -> str:
    """A feature name as a planner reads it: RTE's capitals in title case (``Bouchain``)."""
    if is_missing(name):
        return "—"
    text = str(name).strip()
    if text.isupper():
        text = _CAPITAL_WORD.sub(_title_word, text).replace("'S ", "'s ").replace("’S ", "’s ")
    return text


_CAPITAL_WORD = re.compile(r"[^\W\d_]+")
# Acronyms met in Cartofriches and RTE names that have a vowel (vowel-less words, BP or
# SNCF, are kept in capitals anyway).
_ACRONYMS = {"EDF", "GDF", "ZAC", "ZA", "ZI", "ZAE", "RTE", "SA", "SAS", "SARL", "SNCF", "EPF"}


def _title_word(m: re.Match[str]) -> str:
    """One capitalised word in title case, unless it reads as an acronym (BP, EDF, SNCF)."""
    word = m.group(0)
    acronym = word in _ACRONYMS or not re.search(r"[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ]", word)
    return word if acronym else word.capitalize()


def trim_zeros(text: str, lang: str) -> str:
    """Drop an all-zero decimal part: ``20.0 km`` → ``20 km``, ``10,00 ms`` → ``10 ms``."""
    mark = "," if lang == "fr" else "."
    return re.sub(re.escape(mark) + r"0+(?!\d)", "", text)


# Decimals and display unit by unit suffix of a measure's name.
_MEASURE_FORMATS: tuple[tuple[str, int, str], ...] = (
    ("_mw_per_ha", 1, "MW/ha"),
    ("_pct", 1, "%"),
    ("_ms", 2, "ms"),
    ("_km", 1, "km"),
    ("_ha", 1, "ha"),
    ("_kv", 0, "kV"),
)


def measure_text(name: str, value: Any, lang: str) -> str:
    """A measured value with its unit, by the unit in its name (``_m`` → metres or km)."""
    if is_missing(value):
        return format_number(None, lang)
    if isinstance(value, str):
        return display_name(value)
    if name.endswith("_m"):
        return distance_text(value, lang)
    for suffix, decimals, unit in _MEASURE_FORMATS:
        if name.endswith(suffix):
            return number(value, lang, decimals, unit)
    if name == "compactness":
        return number(value, lang, 2)
    return number(value, lang, 2)


# ------------------------------------------------------------------------------ catalogue

FRENCH: dict[str, str] = {
    # --- supply options, land units, surfaces
    "Supply options": "Options de raccordement",
    " ({low} to {high} measured)": " (de {low} à {high} mesurés)",
    "{criterion} does not separate these sites: their values lie between {low} and {high} on "
    "its 0 to 1 scale, less than {share} of that scale apart{measured}; it adds about the same "
    "points to every score.": "« {criterion} » ne départage pas ces sites : leurs valeurs vont "
    "de {low} à {high} sur son échelle de 0 à 1, un écart inférieur à {share} de "
    "l’échelle{measured} ; il apporte à peu près les mêmes points à chaque note.",
    "Commune": "Commune",
    "Substation": "Poste",
    "Voltage": "Tension",
    "State": "État",
    "in service": "en service",
    "Distance from the outline": "Distance au contour",
    "Listed as": "Retenu comme",
    "among the 3 nearest at or above {kv}": "parmi les 3 plus proches à {kv} ou plus",
    "among the 3 nearest at 400 kV": "parmi les 3 plus proches à 400 kV",
    "Same land unit as {other} ({id}): Cartofriches lists several records on one land "
    "unit; they are one candidate, not several.": "Même unité foncière que {other} ({id}) : "
    "Cartofriches recense plusieurs fiches sur une même unité foncière ; elles forment une "
    "seule candidature, pas plusieurs.",
    "Surface used: the union of the cadastral parcels of the land unit.": "Surface retenue : "
    "la réunion des parcelles cadastrales de l’unité foncière.",
    "Surface used: the land unit stated by Cartofriches (unite_fonciere_surface), which can "
    "be much larger than the brownfield itself.": "Surface retenue : celle de l’unité "
    "foncière déclarée dans Cartofriches, qui peut être bien plus grande que la friche "
    "elle-même.",
    "The site itself is stated as {area}.": "La friche elle-même est déclarée pour {area}.",
    "Surface used: the site surface stated by Cartofriches (site_surface).": "Surface "
    "retenue : celle de la friche déclarée dans Cartofriches.",
    # --- report structure
    "SITE REPORT": "FICHE SITE",
    "SITE COMPARISON": "COMPARAISON DE SITES",
    "Site report: {site}": "Fiche site : {site}",
    "Comparison of {n} sites": "Comparaison de {n} sites",
    "Project: {project}. Report of {date}.": "Projet : {project}. Rapport du {date}.",
    "{project} · {date} · siteassess {version}": "{project} · {date} · siteassess {version}",
    "page {n} of {total}": "page {n} sur {total}",
    "site id {id}": "identifiant {id}",
    "Site map": "Plan du site",
    "Criteria": "Critères",
    "Score by criterion": "Note par critère",
    "Exclusions and data issues": "Exclusions et problèmes de données",
    "Sensitivity to the weights": "Sensibilité aux pondérations",
    "Method and sources": "Méthode et sources",
    "Scores and criteria profiles": "Notes et profils par critère",
    "Ranking and its sensitivity": "Classement et sensibilité",
    "Maps at the same scale": "Cartes à la même échelle",
    "What would swap the top two": "Ce qui inverserait les deux premiers",
    "Layers and their provenance": "Couches et provenance",
    "Parameters": "Paramètres",
    "Result": "Résultat",
    "Points by criterion": "Points par critère",
    "Measures": "Mesures",
    # --- criteria, markets, scenarios
    "Power supply": "Raccordement électrique",
    "Flood risk": "Risque d’inondation",
    "Connectivity to the FLAP markets": "Connectivité vers les marchés FLAP",
    "Land": "Foncier",
    "Frankfurt": "Francfort",
    "London": "Londres",
    "Amsterdam": "Amsterdam",
    "Paris": "Paris",
    "frequent (10 to 30 years)": "fréquent (10 à 30 ans)",
    "medium (100 to 300 years)": "moyen (100 à 300 ans)",
    "extreme (about 1,000 years)": "extrême (environ 1\u202f000 ans)",
    # --- cover
    "score out of 100": "note sur 100",
    "Excluded": "Exclu",
    "excluded": "exclu",
    "excluded by a hard rule (score shown for information)": (
        "exclu par une règle éliminatoire (note donnée pour information)"
    ),
    "rank among {n} ranked sites ({total} assessed)": (
        "rang parmi {n} sites classés ({total} évalués)"
    ),
    "chance of ranking first when the weights vary": (
        "probabilité d’être premier quand les pondérations varient"
    ),
    "This site is excluded: {reasons}.": "Ce site est exclu : {reasons}.",
    "The site outline is approximate (drawn to the stated area, not surveyed): distances and "
    "shares measured from it are approximate too.": (
        "Le contour du site est approximatif (tracé d’après la surface déclarée, non relevé) : "
        "les distances et les parts mesurées à partir de lui sont approximatives elles aussi."
    ),
    "Nearest substation ≥ {kv}": "Poste le plus proche ≥ {kv}",
    "Nearest 400 kV substation": "Poste 400 kV le plus proche",
    "Share in a flood zone (any scenario)": "Part en zone inondable (tout scénario)",
    "Mean round trip to the FLAP markets": "Aller-retour moyen vers les marchés FLAP",
    "Area": "Surface",
    "Power density": "Densité de puissance",
    "Data completeness": "Complétude des données",
    "Rank range when the weights vary": "Plage de rangs quand les pondérations varient",
    "Location of the site among the candidate sites.": (
        "Situation du site parmi les sites candidats."
    ),
    "{measured} of {total} criteria measured ({share})": (
        "{measured} critères mesurés sur {total} ({share})"
    ),
    # --- site map and summary table
    "Dashed lines: shortest distance from the site outline to the nearest substation that "
    "counts and to the nearest 400 kV substation.": (
        "Tirets : plus courte distance du contour du site au poste le plus proche pris en compte "
        "et au poste 400 kV le plus proche."
    ),
    "Criterion": "Critère",
    "Weight": "Poids",
    "Scored measure": "Mesure notée",
    "Value (0 to 1)": "Valeur (0 à 1)",
    "Points": "Points",
    "Score": "Note",
    "points (score out of 100)": "points (note sur 100)",
    "not measured": "non mesuré",
    # --- criterion sections
    "{title}: {weight} of the score": "{title} : {weight} de la note",
    "Measured": "Mesure",
    "Value": "Valeur",
    "Value function: {text}.": "Fonction de valeur : {text}.",
    "Why this value function": "Pourquoi cette fonction de valeur",
    "Scored measure: {measure} = {raw}. Value {value} (0 to 1) × weight {weight} = {points} "
    "points of {max}.": (
        "Mesure notée : {measure} = {raw}. Valeur {value} (0 à 1) × poids {weight} = {points} "
        "points sur {max}."
    ),
    "value": "valeur",
    "this site": "ce site",
    "linear: 1 at {best}, 0 at {worst}, straight line between": (
        "linéaire : 1 à {best}, 0 à {worst}, droite entre les deux"
    ),
    "{value} up to {bound}": "{value} jusqu’à {bound}",
    "steps: {steps}; 0 above": "paliers : {steps} ; 0 au-delà",
    "piecewise linear through {points}": "linéaire par morceaux par {points}",
    "distance to the nearest substation": "distance au poste le plus proche",
    "distance to the nearest 400 kV substation": "distance au poste 400 kV le plus proche",
    "share in any flood zone": "part en zone inondable",
    "share counted by the exclusion rule": "part retenue par la règle d’exclusion",
    "mean round trip to the FLAP markets": "aller-retour moyen vers les marchés FLAP",
    "mean round trip along the fibre network": "aller-retour moyen par le réseau de fibre",
    "power density": "densité de puissance",
    "area": "surface",
    # power
    "No in-service substation at or above {kv} was found in the layers: power could not be "
    "measured.": (
        "Aucun poste en service de {kv} ou plus dans les couches : l’alimentation n’a pas pu "
        "être mesurée."
    ),
    "Nearest in-service substation at or above {kv}: {name} ({v}), inside or touching the site "
    "outline.": (
        "Poste en service de {kv} ou plus le plus proche : {name} ({v}), dans le contour du site "
        "ou en limite."
    ),
    "Nearest in-service substation at or above {kv}: {name} ({v}), {dist} from the site "
    "boundary.": (
        "Poste en service de {kv} ou plus le plus proche : {name} ({v}), à {dist} de la limite "
        "du site."
    ),
    "Nearest 400 kV substation: {name}, {dist} from the site boundary.": (
        "Poste 400 kV le plus proche : {name}, à {dist} de la limite du site."
    ),
    "A {demand} campus is connected at 400 kV under CRE's fast-track procedure (400 MW to 1 GW); "
    "the score counts substations from {kv}, as the project sets, so read the 400 kV distance "
    "as well.": (
        "Un campus de {demand} se raccorde en 400 kV dans la procédure accélérée de la CRE "
        "(400 MW à 1 GW) ; la note compte les postes à partir de {kv}, comme le fixe le projet : "
        "lisez aussi la distance au 400 kV."
    ),
    "Nearest authorised substation not yet built: {name}, {dist} ({counted}).": (
        "Poste autorisé non encore construit le plus proche : {name}, à {dist} ({counted})."
    ),
    "counted in the score": "pris en compte dans la note",
    "not counted in the score": "non pris en compte dans la note",
    "Nearest in-service substation ≥ {kv}": "Poste en service ≥ {kv} le plus proche",
    "Nearest in-service 400 kV substation": "Poste 400 kV en service le plus proche",
    "Nearest authorised substation ≥ {kv}, not yet built": (
        "Poste autorisé ≥ {kv} le plus proche, non construit"
    ),
    "Nearest power line ≥ {kv}": "Ligne électrique ≥ {kv} la plus proche",
    "not measured (no power-line layer)": "non mesurée (pas de couche de lignes)",
    # flood
    "Flood exposure could not be measured (no usable flood layer).": (
        "L’exposition aux inondations n’a pas pu être mesurée (pas de couche d’inondation "
        "utilisable)."
    ),
    "No part of the site lies in a flood zone of the layers.": (
        "Aucune partie du site n’est dans une zone inondable des couches."
    ),
    "{share} of the site lies in a flood zone of some scenario ({parts}).": (
        "{share} du site est en zone inondable pour au moins un scénario ({parts})."
    ),
    "Exclusion rule: a site with more than {limit} of its area in the {scenario} scenario or a "
    "more frequent one is excluded.": (
        "Règle d’exclusion : un site dont plus de {limit} de la surface est en zone inondable du "
        "scénario {scenario} ou d’un scénario plus fréquent est exclu."
    ),
    "This site is excluded by that rule.": "Ce site est exclu par cette règle.",
    "Share of the site in the {scenario} scenario": "Part du site dans le scénario {scenario}",
    "Share of the site in any flood zone": "Part du site en zone inondable (tout scénario)",
    "Share counted by the exclusion rule": "Part retenue par la règle d’exclusion",
    "Maximum depth, {scenario} scenario": "Hauteur d’eau maximale, scénario {scenario}",
    "Raster coverage of the site, {scenario} scenario": (
        "Couverture du site par le raster, scénario {scenario}"
    ),
    # connectivity
    "The round trip to the FLAP markets could not be estimated.": (
        "L’aller-retour vers les marchés FLAP n’a pas pu être estimé."
    ),
    "Estimated round trip to the FLAP markets: {mean} on average ({markets}).": (
        "Aller-retour estimé vers les marchés FLAP : {mean} en moyenne ({markets})."
    ),
    "Each is 2 × route factor {rf} × geodesic distance × {speed} µs/km: an estimate of the "
    "fibre round trip, not a measured latency.": (
        "Chacun vaut 2 × facteur de tracé {rf} × distance géodésique × {speed} µs/km : une "
        "estimation de l’aller-retour en fibre, pas une latence mesurée."
    ),
    "Nearest internet exchange: {name}, {km} away ({rtt} round trip).": (
        "Point d’échange internet le plus proche : {name}, à {km} ({rtt} aller-retour)."
    ),
    "Nearest fibre route: {dist} from the site boundary.": (
        "Tracé de fibre le plus proche : à {dist} de la limite du site."
    ),
    "(along the fibre: {rtt})": "(par la fibre : {rtt})",
    "{market}: distance and round trip": "{market} : distance et aller-retour",
    "Mean round trip along the fibre network": "Aller-retour moyen par le réseau de fibre",
    "Nearest internet exchange": "Point d’échange internet le plus proche",
    "Distance to the fibre network": "Distance au réseau de fibre",
    # land
    "Area: {area} (approximate outline, not surveyed).": (
        "Surface : {area} (contour approximatif, non relevé)."
    ),
    "Area: {area}.": "Surface : {area}.",
    "{demand} on this area is {density}.": "{demand} sur cette surface font {density}.",
    "Sites under {min} are excluded.": "Les sites de moins de {min} sont exclus.",
    "Power density (demand / area)": "Densité de puissance (puissance / surface)",
    "Compactness (Polsby-Popper: 1 for a disc, 0.79 for a square)": (
        "Compacité (Polsby-Popper : 1 pour un disque, 0,79 pour un carré)"
    ),
    # rationales of the built-in criteria (siteassess.criteria)
    "Linear from 1 at 0 m to 0 at 20 km: the cost and lead time of a dedicated HV connection "
    "grow with its length (siteassess planning assumption; set full_cost_distance_m to change "
    "it).": (
        "Linéaire de 1 à 0 m à 0 à 20 km : le coût et le délai d’un raccordement HTB dédié "
        "croissent avec sa longueur (hypothèse de planification de siteassess ; réglez "
        "full_cost_distance_m pour la changer)."
    ),
    "Exclusion by default for any overlap with the medium scenario (100 to 300 years, the usual "
    "PPRi reference; critical facilities are commonly kept out of the 500-year flood). The score "
    "falls linearly from 1 with no flood zone to 0 with half the site in any zone (siteassess "
    "planning assumption).": (
        "Exclusion par défaut pour tout recouvrement avec le scénario moyen (100 à 300 ans, la "
        "référence habituelle des PPRi ; les installations critiques sont couramment tenues hors "
        "de la crue de 500 ans). La note décroît linéairement de 1 sans zone inondable à 0 avec "
        "la moitié du site en zone (hypothèse de planification de siteassess)."
    ),
    "With a fibre layer, connectivity scores the distance from the site to the nearest fibre "
    "route: linear from 1 at 0 m to 0 at 10 km, the length of a new dark-fibre spur the campus "
    "would have to lay (siteassess planning assumption; set worst_fibre_m to change it). Within "
    "one region every site's round trip to the FLAP markets differs by hundredths of a "
    "millisecond, so it does not separate the sites; the geodesic and the fibre-routed round "
    'trips stay as context (set measure = "rtt_flap_mean_fibre_ms" to score the routed one).': (
        "Avec une couche de fibre, la connectivité note la distance du site à la fibre la plus "
        "proche : linéaire de 1 à 0 m à 0 à 10 km, la longueur d’une nouvelle antenne de fibre "
        "noire que le campus devrait poser (hypothèse de planification de siteassess, "
        "modifiable dans le projet). Dans une même région, les allers-retours vers les marchés "
        "FLAP ne diffèrent que de quelques centièmes de milliseconde et ne départagent pas les "
        "sites ; l’aller-retour géodésique et celui routé le long de la fibre restent donnés "
        "pour information (le projet peut noter l’aller-retour routé à la place)."
    ),
    "Linear from 1 at 0 ms to 0 at a 10 ms mean round trip to Frankfurt, London, Amsterdam and "
    "Paris: 1,000 km of fibre is about 10 ms round trip (4.9 µs/km one way), the range within "
    "which synchronous services between campuses are usually planned (siteassess planning "
    "assumption).": (
        "Linéaire de 1 à 0 ms à 0 pour un aller-retour moyen de 10 ms vers Francfort, Londres, "
        "Amsterdam et Paris : 1\u202f000 km de fibre font environ 10 ms aller-retour (4,9 µs/km "
        "dans un sens), la portée dans laquelle on planifie d’ordinaire des services synchrones "
        "entre campus (hypothèse de planification de siteassess)."
    ),
    "Linear from 1 at 10 MW/ha to 0 at 25 MW/ha of demand over the site area; the Escaudain "
    "campus plans about 18 MW/ha (700 MW on 38.8 ha). Sites under 10 ha are excluded "
    "(siteassess planning assumptions).": (
        "Linéaire de 1 à 10 MW/ha à 0 à 25 MW/ha de puissance rapportée à la surface du site ; "
        "le campus d’Escaudain prévoit environ 18 MW/ha (700 MW sur 38,8 ha). Les sites de moins "
        "de 10 ha sont exclus (hypothèses de planification de siteassess)."
    ),
    "value function set in the project file": "fonction de valeur fixée dans le fichier de projet",
    # --- exclusions, issues
    "This site is excluded by a hard rule, whatever its score:": (
        "Ce site est exclu par une règle éliminatoire, quelle que soit sa note :"
    ),
    "No exclusion rule applies to this site.": "Aucune règle d’exclusion ne s’applique à ce site.",
    "No exclusion rule applies to these sites.": (
        "Aucune règle d’exclusion ne s’applique à ces sites."
    ),
    "Data completeness: {text}.": "Complétude des données : {text}.",
    "Not measured: {names}; counted as worst (0) unless the project renormalises.": (
        "Non mesuré : {names} ; compté au pire (0) sauf si le projet renormalise."
    ),
    "ILLUSTRATIVE data: layer {layer} is not real data ({source}). Figures that use it show how "
    "the method works, not the site's real exposure.": (
        "Données ILLUSTRATIVES : la couche {layer} n’est pas une donnée réelle ({source}). Les "
        "chiffres qui l’utilisent montrent le fonctionnement de la méthode, pas l’exposition "
        "réelle du site."
    ),
    "Data issues ({n}):": "Problèmes de données ({n}) :",
    "No data issue affects these results.": "Aucun problème de données n’affecte ces résultats.",
    "Notes on the data ({n}):": "Remarques sur les données ({n}) :",
    "{layer}: {message}": "{layer} : {message}",
    "no feature within {km} km of the sites": "aucun objet à moins de {km} km des sites",
    "Approximate outlines (not surveyed): {sites}. Distances and shares measured from them are "
    "approximate too.": (
        "Contours approximatifs (non relevés) : {sites}. Les distances et les parts mesurées à "
        "partir d’eux sont approximatives elles aussi."
    ),
    "{site} is excluded: {reasons}.": "{site} est exclu : {reasons}.",
    # --- sensitivity and swaps
    "An excluded site is not ranked, so its sensitivity is not computed.": (
        "Un site exclu n’est pas classé : sa sensibilité n’est pas calculée."
    ),
    "The sensitivity analysis was not run for this assessment.": (
        "L’analyse de sensibilité n’a pas été faite pour cette évaluation."
    ),
    "In {draws} random draws, each weight was multiplied by a factor between {lo} and {hi} and "
    "the weights renormalised. This site ranked first in {p} of the draws.": (
        "Sur {draws} tirages aléatoires, chaque poids a été multiplié par un facteur compris "
        "entre {lo} et {hi}, puis les poids renormalisés. Ce site est arrivé premier dans {p} "
        "des tirages."
    ),
    "Its rank was {rank} in every draw.": "Son rang a été {rank} dans tous les tirages.",
    "Its rank ranged from {lo} to {hi}.": "Son rang a varié de {lo} à {hi}.",
    "always {rank}": "toujours {rank}",
    "{lo} to {hi}": "{lo} à {hi}",
    "n/a": "n.d.",
    "Only one site is ranked: there is no one to swap with.": (
        "Un seul site est classé : aucun échange de place possible."
    ),
    "What would change the top of the ranking:": "Ce qui changerait la tête du classement :",
    "What this site would need to catch up with the site ranked just above:": (
        "Ce qu’il faudrait à ce site pour rejoindre le site classé juste devant :"
    ),
    "No change of a single weight makes {behind} catch up with {ahead}: {ahead} stays ahead "
    "whatever one weight is.": (
        "Aucune modification d’un seul poids ne permet à {behind} de rejoindre {ahead} : "
        "{ahead} reste devant quel que soit ce poids."
    ),
    "{behind} would tie with {ahead} if the {criterion} weight went from {before} to {after} "
    "(the other weights rescaled in proportion), and pass it beyond that.": (
        "{behind} égalerait {ahead} si le poids du critère «\u00a0{criterion}\u00a0» passait de "
        "{before} à {after} (les autres poids ajustés en proportion), et le dépasserait au-delà."
    ),
    "{ahead} and {behind} have the same score ({score}): any change of weight that favours one "
    "of them decides their order.": (
        "{ahead} et {behind} ont la même note ({score}) : tout changement de poids qui favorise "
        "l’un des deux décide de leur ordre."
    ),
    "Weight now": "Poids actuel",
    "Weight at which they tie": "Poids à égalité",
    "Change": "Variation",
    "points": "points",
    # --- comparison
    "Best of these sites: {first} with {score} points; {second} follows {gap} points behind.": (
        "Meilleur de ces sites : {first} avec {score} points ; {second} suit à {gap} points."
    ),
    "Fewer than two of these sites are ranked: no order between them.": (
        "Moins de deux de ces sites sont classés : pas d’ordre entre eux."
    ),
    "Score (0 to 100)": "Note (0 à 100)",
    "Rank among {n} ranked sites": "Rang parmi {n} sites classés",
    "Chance of ranking first (all sites)": "Probabilité d’être premier (tous les sites)",
    "Chance of ranking first (these sites)": "Probabilité d’être premier (ces sites)",
    "{criterion} (of {max})": "{criterion} (sur {max})",
    "{mark} marks the best value of each row among these sites (ties all marked); a "
    "difference smaller than the measure's precision (100 m, 0.1 ms, 1 %, 1 ha) is not "
    "marked.": "{mark} signale la meilleure valeur de chaque ligne parmi ces sites (ex aequo "
    "tous signalés) ; un écart inférieur à la précision de la mesure (100 m, 0,1 ms, 1 %, "
    "1 ha) n’est pas signalé.",
    "Left: each site's value (0 to 1) on every criterion. Right: the score as the sum of the "
    "points of each criterion.": (
        "À gauche : la valeur (0 à 1) de chaque site sur chaque critère. À droite : la note, "
        "somme des points de chaque critère."
    ),
    "Ranks are among all {n} sites of the project. In {draws} random draws each weight was "
    "multiplied by a factor between {lo} and {hi} (then renormalised); the table gives how often "
    "each site came first, among all sites and among the compared sites only, and the range of "
    "its rank.": (
        "Les rangs portent sur les {n} sites du projet. Sur {draws} tirages aléatoires, chaque "
        "poids a été multiplié par un facteur compris entre {lo} et {hi} (puis renormalisé) ; le "
        "tableau donne la fréquence à laquelle chaque site arrive premier, parmi tous les sites "
        "et parmi les seuls sites comparés, et la plage de son rang."
    ),
    "Site": "Site",
    "Rank": "Rang",
    "Rank range": "Plage de rangs",
    "First (all sites)": "Premier (tous)",
    "First (these sites)": "Premier (ces sites)",
    "Each map is centred on its site at the same scale; dashed lines give the shortest distance "
    "to the nearest substation that counts and to the nearest 400 kV substation.": (
        "Chaque carte est centrée sur son site, à la même échelle ; les tirets donnent la plus "
        "courte distance au poste le plus proche pris en compte et au poste 400 kV le plus "
        "proche."
    ),
    # --- method
    "Each criterion's measure becomes a value from 0 (worst) to 1 (best) through its value "
    "function; the value times the criterion's weight gives its points, and the score (0 to 100) "
    "is their sum. Distances and areas are measured in {crs}. A criterion that cannot be "
    "measured counts {missing}.": (
        "La mesure de chaque critère devient une valeur de 0 (pire) à 1 (meilleur) par sa "
        "fonction de valeur ; la valeur multipliée par le poids du critère donne ses points, et "
        "la note (0 à 100) en est la somme. Distances et surfaces sont mesurées en {crs}. Un "
        "critère non mesurable compte {missing}."
    ),
    "as worst (0)": "comme le pire (0)",
    "as absent: the other weights are renormalised": (
        "comme absent : les autres poids sont renormalisés"
    ),
    "Weights from an AHP pairwise matrix (consistency ratio {cr}).": (
        "Poids issus d’une matrice de comparaisons par paires AHP (ratio de cohérence {cr})."
    ),
    "Value function": "Fonction de valeur",
    "Parameter": "Paramètre",
    "Project": "Projet",
    "yes": "oui",
    "no": "non",
    "none": "aucun",
    "Sensitivity: {draws} draws, each weight multiplied by a factor drawn uniformly between {lo} "
    "and {hi}, then renormalised; random seed {seed}.": (
        "Sensibilité : {draws} tirages, chaque poids multiplié par un facteur tiré uniformément "
        "entre {lo} et {hi}, puis renormalisé ; graine aléatoire {seed}."
    ),
    "Layer": "Couche",
    "Source": "Source",
    "Licence": "Licence",
    "Date": "Date",
    "Features": "Objets",
    "File CRS": "SCR du fichier",
    "File": "Fichier",
    "not stated": "non indiquée",
    "PROJECT": "PROJET",
    "Produced by siteassess {version}. With the same project file and layers (same SHA-256), the "
    "command “siteassess score {project} --json” gives the same numbers.": (
        "Produit par siteassess {version}. Avec le même fichier de projet et les mêmes couches "
        "(mêmes SHA-256), la commande «\u00a0siteassess score {project} --json\u00a0» donne les "
        "mêmes chiffres."
    ),
    # --- maps and charts
    "CRS: {crs}": "SCR : {crs}",
    "same scale on every map": "même échelle sur toutes les cartes",
    "(ILLUSTRATIVE)": "(ILLUSTRATIF)",
    "Flood zone, frequent scenario": "Zone inondable, scénario fréquent",
    "Flood zone, medium scenario": "Zone inondable, scénario moyen",
    "Flood zone, extreme scenario": "Zone inondable, scénario extrême",
    "Power line below 225 kV": "Ligne de moins de 225 kV",
    "Power line 225 kV": "Ligne 225 kV",
    "Power line 400 kV": "Ligne 400 kV",
    "Fibre route": "Tracé de fibre",
    "Flood depth raster (measured, not drawn)": "Raster de hauteurs d’eau (mesuré, non dessiné)",
    "Site outline": "Contour du site",
    "Site outline (approximate)": "Contour du site (approximatif)",
    "Other candidate site": "Autre site candidat",
    "Substation below 225 kV": "Poste de moins de 225 kV",
    "Substation 225 kV": "Poste 225 kV",
    "Substation 400 kV": "Poste 400 kV",
    "(authorised, not built)": "(autorisé, non construit)",
    "Internet exchange": "Point d’échange internet",
    "Shortest distance to a substation": "Plus courte distance à un poste",
    "Country (Natural Earth, generalised)": "Pays (Natural Earth, généralisé)",
    "This site": "Ce site",
    "score (0 to 100)": "note (0 à 100)",
    # long names (h-longnames)
    "Full name: {name}": "Nom complet : {name}",
    "Sites compared": "Sites comparés",
    "Site id": "Identifiant du site",
}

register("fr", FRENCH)
