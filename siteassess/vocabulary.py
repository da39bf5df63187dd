"""What siteassess calls its measures and ranking columns, with units and precision.

One table for every presenter: the app's ranking, detail panel and compare view (through
``siteassess.ui.labels``) and the spreadsheets (``siteassess.reports.spreadsheet``) read
their labels, display units and decimals here, in French or English. No Qt, no files.
Texts are English in the code; their French is :data:`FRENCH`, registered with
:func:`siteassess.i18n.register` on import.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from siteassess.i18n import localise, register

__all__ = [
    "FRENCH",
    "RANKING_COLUMNS",
    "SCENARIO_LABELS",
    "ColumnInfo",
    "MeasureInfo",
    "declared_labels",
    "is_known",
    "measure_info",
    "ranking_column",
    "resolution",
    "role_title",
    "stored_unit",
]

SCENARIO_LABELS = {
    "frequent": "frequent",
    "medium": "medium",
    "extreme": "extreme",
    "none": "no rule",
}


@dataclass(frozen=True)
class MeasureInfo:
    """How to show one measure: label, display unit, scale from the stored unit, decimals.

    ``better`` is ``"low"`` or ``"high"`` when a smaller or larger value is better, else
    None (a name, a voltage).
    """

    key: str
    label: str
    unit: str = ""
    scale: float = 1.0
    decimals: int = 1
    better: str | None = None

    @property
    def stored_decimals(self) -> int:
        """Decimals worth showing in the stored unit (km with 1 decimal → whole metres)."""
        return max(0, self.decimals + round(math.log10(self.scale)))


_MARKET_FR = {
    "paris": "Paris",
    "london": "Londres",
    "frankfurt": "Francfort",
    "amsterdam": "Amsterdam",
}

_ELISION = re.compile(r"\bde (?=[AEIOUÉ])")

_SUFFIX_UNITS: tuple[tuple[str, str], ...] = (
    ("_mw_per_ha", "MW/ha"),
    ("_pct", "%"),
    ("_ms", "ms"),
    ("_km", "km"),
    ("_ha", "ha"),
    ("_kv", "kV"),
    ("_m", "m"),
)


def _declared() -> dict[str, Any]:
    """The measures the criteria declare (imported when first needed: criteria are heavy)."""
    from siteassess.criteria import MEASURES

    return MEASURES


def _filled(label: str, word: str | None, lang: str) -> str:
    """A declared label in ``lang``, its market (``{m}``) or scenario (``{s}``) filled in."""
    text = localise(label, lang)
    if word is None:
        return text
    if "{m}" in label:
        name = _MARKET_FR.get(word, word.capitalize()) if lang == "fr" else word.capitalize()
        text = text.format(m=name)
        return _ELISION.sub("d’", text) if lang == "fr" else text  # « de Amsterdam »
    return text.format(s=localise(SCENARIO_LABELS.get(word, word), lang))


def measure_info(key: str, lang: str) -> MeasureInfo:
    """Label (in ``lang``), unit and decimals of any measure column, as its criterion
    declares it. A column no criterion declares keeps its key as its label."""
    m = _declared().get(key)
    if m is not None:
        label = _filled(m.label, m.word, lang)
        return MeasureInfo(key, label, m.display_unit, m.scale, m.decimals, m.better)
    unit = next((u for suffix, u in _SUFFIX_UNITS if key.endswith(suffix)), "")
    return MeasureInfo(key, key.replace("_", " "), unit)


def resolution(key: str) -> float:
    """The smallest meaningful difference of measure ``key``, in its stored unit.

    Below it a comparison marks no best value (★). The criterion declares it where its
    estimate is coarser than the decimals shown (distances from approximate outlines,
    round trips from a route factor, shares of zones drawn at map scale); otherwise one
    unit of the last decimal shown.
    """
    m = _declared().get(key)
    if m is not None and m.resolution is not None:
        return float(m.resolution)
    info = measure_info(key, "en")
    return 10.0**-info.stored_decimals


def stored_unit(key: str) -> str:
    """The unit a measure is stored in (``substation_distance_m`` → ``m``)."""
    m = _declared().get(key)
    if m is not None:
        return str(m.unit)
    return next((u for suffix, u in _SUFFIX_UNITS if key.endswith(suffix)), "")


def is_known(key: str) -> bool:
    """True when a criterion declares ``key`` (so it has a label, not its own key)."""
    return key in _declared()


def declared_labels() -> list[str]:
    """Every declared measure's English label (for the catalogue's completeness tests)."""
    return sorted({m.label for m in _declared().values()})


def role_title(role: str, lang: str) -> str:
    """A layer role as the planner reads it (``substations`` → ``Postes électriques``)."""
    from siteassess.project import ROLE_TITLES

    return localise(ROLE_TITLES.get(role, role), lang)


def layer_phrase(role: str, name: str | None, lang: str) -> str:
    """How a sentence names a layer: by the name the project gives it, else by its role.

    ``la couche des zones inondables`` (role ``flood``), ``la couche « protected »``.
    """
    from siteassess.roles import REGISTRY

    if name:
        return localise("the layer “{name}”", lang).format(name=name)
    phrase = next((r.phrase for r in REGISTRY if r.name == role), "")
    return (
        localise(phrase, lang) if phrase else localise("the layer “{name}”", lang).format(name=role)
    )


# ------------------------------------------------------------------------------ ranking


@dataclass(frozen=True)
class ColumnInfo:
    """One column of the ranking as a table shows it: label, unit of the stored value,
    decimals worth showing, and whether the value is a share 0..1 shown as a percentage.

    ``known`` is False when no table here names the column (its label is then its key).
    """

    key: str
    label: str
    unit: str = ""
    decimals: int = 0
    share: bool = False
    known: bool = True

    @property
    def header(self) -> str:
        """The label and, when there is one, the unit: ``Surface (ha)``."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


# Columns of Assessment.ranked() that are not measures: English label, unit, decimals, share.
RANKING_COLUMNS: dict[str, tuple[str, str, int, bool]] = {
    "site_id": ("Site id", "", 0, False),
    "rank": ("Rank", "", 0, False),
    "score": ("Score (out of 100)", "", 1, False),
    "excluded": ("Excluded", "", 0, False),
    "completeness": ("Data completeness", "%", 0, True),
    "name": ("Name", "", 0, False),
    "commune": ("Commune", "", 0, False),
    "insee": ("INSEE code", "", 0, False),
    "exclusions": ("Exclusion reasons", "", 0, False),
    "same_land_unit_as": ("Same land unit as", "", 0, False),
    "p_first": ("Chance of ranking first", "%", 1, True),
    "rank_min": ("Best rank when the weights vary", "", 0, False),
    "rank_max": ("Worst rank when the weights vary", "", 0, False),
}
CONTRIBUTION_PREFIX = "contribution_"


def ranking_column(key: str, lang: str, criterion_title: str | None = None) -> ColumnInfo:
    """Label (in ``lang``), unit and decimals of a column of ``Assessment.ranked()``.

    ``criterion_title`` names the criterion of a ``contribution_*`` column, in ``lang``.
    Measures keep the unit they are stored in (metres, not the km the app shows).
    """
    if key in RANKING_COLUMNS:
        label, unit, decimals, share = RANKING_COLUMNS[key]
        return ColumnInfo(key, localise(label, lang), unit, decimals, share)
    if key.startswith(CONTRIBUTION_PREFIX):
        name = criterion_title or key[len(CONTRIBUTION_PREFIX) :]
        label = localise("Points: {criterion}", lang).format(criterion=name)
        return ColumnInfo(key, label, "", 1, known=criterion_title is not None)
    info = measure_info(key, lang)
    return ColumnInfo(key, info.label, stored_unit(key), info.stored_decimals, False, is_known(key))


# ------------------------------------------------------------------------------ catalogue

FRENCH: dict[str, str] = {
    # flood scenarios
    "frequent": "fréquent",
    "medium": "moyen",
    "extreme": "extrême",
    "no rule": "aucune règle",
    # measures
    "Substation ≥ minimum voltage": "Poste ≥ tension minimale",
    "Name of that substation": "Nom de ce poste",
    "Its voltage": "Sa tension",
    "Nearest 400 kV substation": "Poste 400 kV le plus proche",
    "Name of the 400 kV substation": "Nom du poste 400 kV",
    "Authorised substation (not built)": "Poste autorisé (non construit)",
    "Name of the authorised substation": "Nom du poste autorisé",
    "Power line ≥ minimum voltage": "Ligne ≥ tension minimale",
    "Share in any flood zone": "Part en zone inondable",
    "Share in the zone of the exclusion rule": "Part dans la zone de la règle d’exclusion",
    "Mean round trip to FLAP": "Aller-retour moyen FLAP",
    "Mean round trip to FLAP along the fibre": "Aller-retour moyen FLAP par la fibre",
    "Nearest internet exchange": "Point d’échange internet le plus proche",
    "Distance to the nearest exchange": "Distance au point d’échange le plus proche",
    "Round trip to the nearest exchange": "Aller-retour au point d’échange le plus proche",
    "Route factor used": "Facteur de détour utilisé",
    "Distance to the fibre": "Distance à la fibre",
    "Area": "Surface",
    "Power density": "Densité de puissance",
    "Compactness (Polsby-Popper)": "Compacité (Polsby-Popper)",
    "Round trip to {m} along the fibre": "Aller-retour vers {m} par la fibre",
    "Round trip to {m}": "Aller-retour vers {m}",
    "Distance to the {m} exchange": "Distance au point d’échange de {m}",
    "Share in the {s} flood scenario": "Part en zone inondable, scénario {s}",
    "Maximum depth, {s} scenario": "Hauteur d’eau maximale, scénario {s}",
    "Raster coverage, {s} scenario": "Couverture du raster, scénario {s}",
    # layer roles (siteassess.project.ROLE_TITLES)
    # how a sentence names a layer (siteassess.roles: Role.phrase)
    "the layer “{name}”": "la couche «\u00a0{name}\u00a0»",
    "the sites layer": "la couche des sites",
    "the substations layer": "la couche des postes électriques",
    "the power lines layer": "la couche des lignes électriques",
    "the flood zones layer": "la couche des zones inondables",
    "the fibre layer": "la couche de la fibre",
    "the internet exchanges layer": "la couche des points d’échange Internet",
    "the cadastral parcels layer": "la couche des parcelles cadastrales",
    "the context layer": "la couche de contexte",
    "Sites (brownfields)": "Sites (friches)",
    "Substations": "Postes électriques",
    "Power lines": "Lignes électriques",
    "Flood zones": "Zones inondables",
    "Fibre": "Fibre optique",
    "Internet exchanges": "Points d’échange internet",
    "Cadastral parcels": "Parcelles cadastrales",
    "Context": "Contexte",
    # ranking columns
    "Site id": "Identifiant",
    "Rank": "Rang",
    "Score (out of 100)": "Note (sur 100)",
    "Excluded": "Exclu",
    "Data completeness": "Complétude des données",
    "Name": "Nom",
    "Commune": "Commune",
    "INSEE code": "Code INSEE",
    "Exclusion reasons": "Motifs d’exclusion",
    "Same land unit as": "Même unité foncière que",
    "Chance of ranking first": "Probabilité d’être premier",
    "Best rank when the weights vary": "Meilleur rang quand les pondérations varient",
    "Worst rank when the weights vary": "Moins bon rang quand les pondérations varient",
    "Points: {criterion}": "Points : {criterion}",
    # exclusion reasons and data issues (siteassess.errors.Reason templates)
    "{share} of the site is in the {scenario} flood scenario or a more frequent one (rule: more "
    "than {limit} excludes)": (
        "{share} du site est en zone inondable du scénario {scenario} ou d’un scénario plus "
        "fréquent (règle : exclu au-delà de {limit})"
    ),
    "area {area} is below the minimum {min}": "surface de {area}, sous le minimum de {min}",
    "no substation ≥ {kv} within {limit} (nearest: {name} at {distance})": (
        "aucun poste de {kv} ou plus à moins de {limit} (le plus proche : {name}, à {distance})"
    ),
    "no {role} layer in the project: {criterion} cannot be measured": (
        "pas de couche «\u00a0{role}\u00a0» dans le projet : le critère "
        "«\u00a0{criterion}\u00a0» ne peut pas être mesuré"
    ),
    "{criterion} left as not measurable (NaN)": (
        "critère «\u00a0{criterion}\u00a0» laissé non mesurable (NaN)"
    ),
    "{what} not measurable (NaN)": "{what} non mesurable (NaN)",
    "min_kv = {kv} is below the {need} a {demand} campus needs: substations from {kv} are "
    "scored as if they could supply it": (
        "la tension minimale du poste, {kv}, est sous les {need} qu’exige un campus de {demand} : "
        "les postes à partir de {kv} sont notés comme s’ils pouvaient l’alimenter"
    ),
    "remove min_kv (default {default}) or lower demand_mw": (
        "retirez la tension minimale du poste (par défaut {default}) ou réduisez la puissance "
        "du campus"
    ),
    "no in-service substation at or above {kv} in the layers read": (
        "aucun poste en service de {kv} ou plus dans les couches lues"
    ),
    "{n} sites are outside the raster or on nodata ({sites})": (
        "{n} sites sont hors du raster ou sur des pixels sans donnée ({sites})"
    ),
    "flood depth not measured there (NaN)": "hauteur d’eau non mesurée sur ces sites (NaN)",
    "{n} sites are only partly covered by the raster": (
        "{n} sites ne sont que partiellement couverts par le raster"
    ),
    "shares computed over the covered part; see flood_coverage_*_pct": (
        "parts calculées sur la seule partie couverte ; voir la couverture du raster"
    ),
    "no exchange of the {m} market": "aucun point d’échange sur le marché {m}",
    "rtt_{market}_ms not measurable (NaN)": "aller-retour vers {market} non mesurable (NaN)",
    "the fibre lines do not form a connected network": (
        "les lignes de fibre ne forment pas un réseau connexe"
    ),
    "no routed estimate; geodesic estimate only": (
        "pas d’estimation le long du réseau ; estimation géodésique seule"
    ),
    "{n} sites are not polygons (points or lines)": (
        "{n} sites ne sont pas des polygones (points ou lignes)"
    ),
    "demand_mw is not set: the power density cannot be computed": (
        "la puissance du campus n’est pas fixée : la densité de puissance ne peut pas être calculée"
    ),
    "set demand_mw in the project": "fixez la puissance du campus dans le projet",
    "{n} sites {why}": "{n} sites écartés ({why})",
    "not assessed": "non évalués",
    "measure {measure} is not available with these layers": (
        "la mesure {measure} n’est pas disponible avec ces couches"
    ),
    "reprojected from {a} to {b}": "reprojetée de {a} vers {b}",
    "site {id}": "site {id}",
    # data issues of the layers (siteassess.layers)
    "skipped": "écartés",
    "kept": "conservés",
    "kept as written": "conservés tels quels",
    "repaired with make_valid": "réparées par make_valid",
    "read as volts": "lues comme des volts",
    "not counted as in service": "non comptés comme en service",
    "approximate outlines used": "contours approximatifs utilisés",
    "kept, flood_type blank": "conservées, type d’inondation laissé vide",
    "kept; kv unknown, never counted at or above a minimum voltage": (
        "conservés ; tension inconnue, jamais comptés à la tension minimale ou au-dessus"
    ),
    "kept with state unknown: not counted as substations": (
        "conservés avec un état inconnu : non comptés comme postes"
    ),
    "outline from parcels if found, else kept as a point (land not measurable)": (
        "contour tiré des parcelles si elles sont trouvées, sinon gardé comme un point "
        "(foncier non mesurable)"
    ),
    "site_surface used where it is believable, else area unknown (a point)": (
        "surface de la friche retenue là où elle est vraisemblable, sinon surface inconnue "
        "(un point)"
    ),
    "outline from the parcels found; approximate disc where none was": (
        "contour tiré des parcelles trouvées ; disque approximatif là où aucune ne l’a été"
    ),
    "area unknown: kept as a point unless its parcels give an outline": (
        "surface inconnue : gardé comme un point, sauf si ses parcelles donnent un contour"
    ),
    "their parts of the highest dimension used (polygons as the outline), {dropped} smaller "
    "parts dropped": (
        "leurs parties de plus grande dimension retenues (les polygones comme contour), "
        "{dropped} parties plus petites écartées"
    ),
    "{n} sites have no area (unite_fonciere_surface and site_surface empty or NaN): {sites}": (
        "{n} sites sans surface (unite_fonciere_surface et site_surface vides ou NaN) : {sites}"
    ),
    "{n} of {total} sites have a stated area that is not believable ({why}): {sites}": (
        "{n} sites sur {total} ont une surface déclarée invraisemblable ({why}) : {sites}"
    ),
    "stated area not believable: {fields}": "surface déclarée invraisemblable : {fields}",
    "{n} of {total} parcels have a malformed id in {column} (not 14 characters as "
    "59205000AP0021): {sample}": (
        "{n} parcelles sur {total} ont un identifiant mal formé dans {column} (pas 14 "
        "caractères comme 59205000AP0021) : {sample}"
    ),
    "{n} of {total} parcels have no geometry: {sample}": (
        "{n} parcelles sur {total} n’ont pas de géométrie : {sample}"
    ),
    "{n} parcel ids occur more than once: {sample}": (
        "{n} identifiants de parcelle apparaissent plusieurs fois : {sample}"
    ),
    "{n} rows have an unknown kind {kinds} ({names}); known: {known}": (
        "{n} lignes ont un type inconnu {kinds} ({names}) ; types connus : {known}"
    ),
    "{n} of {total} rows have no usable coordinates ({lines}: {names})": (
        "{n} lignes sur {total} n’ont pas de coordonnées utilisables ({lines} : {names})"
    ),
    "{n} of {total} features have no voltage ({ids})": (
        "{n} objets sur {total} n’ont pas de tension ({ids})"
    ),
    "{n} of {total} vertices are not substations ({kinds})": (
        "{n} sommets sur {total} ne sont pas des postes ({kinds})"
    ),
    "{n} of {total} zones have an unknown scenario code {codes} in {column}; known: 01For, "
    "02Moy, 03Mcc, 04Fai (or the words {words})": (
        "{n} zones sur {total} ont un code de scénario inconnu {codes} dans {column} ; codes "
        "connus : 01For, 02Moy, 03Mcc, 04Fai (ou les mots {words})"
    ),
    "{n} zones have an unknown flood type {types} in {column}; known: 01 débordement, 02 "
    "ruissellement, 03 submersion marine, 04 remontée de nappe": (
        "{n} zones ont un type d’inondation inconnu {types} dans {column} ; types connus : 01 "
        "débordement, 02 ruissellement, 03 submersion marine, 04 remontée de nappe"
    ),
    "{n} of {total} rows have no usable coordinates (blank, not a number or not finite): {named}": (
        "{n} lignes sur {total} n’ont pas de coordonnées utilisables (vides, non numériques ou "
        "non finies) : {named}"
    ),
    "{n} postes have an unknown state {values}": "{n} postes ont un état inconnu {values}",
    "the parcels layer has no parcel id column (idpar); set id_field": (
        "la couche des parcelles n’a pas de colonne d’identifiant de parcelle (idpar) ; "
        "indiquez id_field"
    ),
    "{n} parcel ids listed by {sites} sites are not in the parcels layer ({sample})": (
        "{n} identifiants de parcelle cités par {sites} sites sont absents de la couche des "
        "parcelles ({sample})"
    ),
    "stated_area_m2 = {area} is not a believable site area (expected more than 0 and at most "
    "{most})": (
        "stated_area_m2 = {area} n’est pas une surface de site vraisemblable (attendu : plus "
        "de 0 et au plus {most})"
    ),
    "{n} of {total} features have coordinates that are not finite numbers or out of range for "
    "{crs} (expected {range}): {named}": (
        "{n} objets sur {total} ont des coordonnées non finies ou hors des limites de {crs} "
        "(attendu : {range}) : {named}"
    ),
    "{n} of {total} sites lie far outside the area of the working CRS {where}, which is not "
    "made to measure there (distances off by more than {error}, or too far to tell): "
    "{named}{hint}; check their coordinates": (
        "{n} sites sur {total} sont loin hors du domaine du SCR de travail {where}, qui n’est "
        "pas fait pour mesurer là (distances faussées de plus de {error}, ou trop loin pour "
        "le dire) : {named}{hint} ; vérifiez leurs coordonnées"
    ),
    '{n} voltages above {most} (up to {top}): they look like volts; set voltage_unit = "V" '
    "for this layer": (
        "{n} tensions au-dessus de {most} (jusqu’à {top}) : elles semblent en volts ; indiquez "
        'voltage_unit = "V" pour cette couche'
    ),
    "{n} zones have an unknown scenario {values} in {column}; known: {known}": (
        "{n} zones ont un scénario inconnu {values} dans {column} ; scénarios connus : {known}"
    ),
    "{n} of {total} features are geometry collections{which}: {kinds}": (
        "{n} objets sur {total} sont des collections de géométries{which} : {kinds}"
    ),
    "{n} of {total} features have no geometry{which}": (
        "{n} objets sur {total} n’ont pas de géométrie{which}"
    ),
    "{n} invalid geometries ({why})": "{n} géométries invalides ({why})",
    "the stated unite_fonciere_surface used": "la surface déclarée de l’unité foncière retenue",
    "site_surface ({area}) used instead": "surface de la friche ({area}) retenue à la place",
}

register("fr", FRENCH)
