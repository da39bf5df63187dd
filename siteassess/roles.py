"""The layer roles: one registry entry each, read by the project file, the layers, the app
and the reports.

A role says what a layer is for: its title (English; the catalogue translates it), the
function of :mod:`siteassess.layers.roles` that gives its standard columns, how near the
sites it is read, the words of a file name that suggest it, the geometry it holds and its
colour on the maps. Adding a role is one entry here and its normaliser. This module is
light (no imports), so the project file and the app's panels read it at start.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["REGISTRY", "ROLES", "ROLE_TITLES", "WHOLE", "Role", "role"]

WHOLE = -1.0  # read window: the whole file (the sites, the exchanges of distant markets)


@dataclass(frozen=True)
class Role:
    """One layer role."""

    name: str
    title: str
    normaliser: str  # a function of siteassess.layers.roles
    window_m: float | None  # margin read around the sites; None: the project's; WHOLE
    hints: tuple[str, ...]  # words of a file name (French and English) that suggest it
    geometry: str  # "polygon", "point", "line", "polygon or raster", "any"
    colour: str  # on the maps, where a role has one colour (hex)
    # How a sentence names a layer of this role (English; the catalogue translates it):
    # « la couche des zones inondables », never « la couche flood ».
    phrase: str = ""
    # True when a table without coordinates is also accepted (its rows name features of
    # another layer: grid capacity per substation, joined by the power criterion).
    table: bool = False

    @property
    def windowed(self) -> bool:
        """True when only the part near the sites is read."""
        return self.window_m != WHOLE


REGISTRY: tuple[Role, ...] = (
    Role(
        "sites",
        "Sites (brownfields)",
        "sites",
        WHOLE,
        ("site", "friche", "cartofriche"),
        "polygon",
        "#d7301f",
        "the sites layer",
    ),
    Role(
        "substations",
        "Substations",
        "substations",
        None,
        ("poste", "substation"),
        "point",
        "#9e0142",
        "the substations layer",
    ),
    Role(
        "power_lines",
        "Power lines",
        "power_lines",
        None,
        ("ligne", "line", "hv_link", "reseau"),
        "line",
        "#f46d43",
        "the power lines layer",
    ),
    Role(
        "flood",
        "Flood zones",
        "flood",
        1_000.0,
        ("flood", "inond", "tri_", "ppri", "azi"),
        "polygon or raster",
        "#3182bd",
        "the flood zones layer",
    ),
    Role(
        "fibre",
        "Fibre",
        "fibre",
        None,
        ("fibre", "fiber"),
        "line",
        "#7b3294",
        "the fibre layer",
    ),
    Role(
        "exchanges",
        "Internet exchanges",
        "exchanges",
        WHOLE,
        ("exchange", "ixp", "echange"),
        "point",
        "#111111",
        "the internet exchanges layer",
    ),
    Role(
        "parcels",
        "Cadastral parcels",
        "parcels",
        3_000.0,
        ("parcel", "cadastre"),
        "polygon",
        "#8a96a3",
        "the cadastral parcels layer",
    ),
    Role(
        "zoning",
        "Zoning (PLU)",
        "zoning",
        1_000.0,
        ("zone_urba", "zonage", "plu_", "_plu", "plui", "zoning"),
        "polygon",
        "#b15928",
        "the zoning layer",
    ),
    Role(
        "heat_network",
        "Heat networks",
        "heat_network",
        None,
        ("chaleur", "heat_network", "district_heat", "fcu"),
        "any",  # traces (lines), and points for networks whose trace is not published
        "#e6550d",
        "the heat networks layer",
    ),
    Role(
        "heat_pdp",
        "Heat network priority development perimeters",
        "heat_pdp",
        1_000.0,  # only the overlap with the sites is measured
        ("pdp", "developpement_prioritaire", "perimetre_prioritaire"),
        "polygon",
        "#fdae6b",
        "the heat network priority perimeters layer",
    ),
    Role(
        "context",
        "Context",
        "passthrough",
        None,
        (),
        "any",
        "#8a96a3",
        "the context layer",
    ),
    Role(
        "grid_capacity",
        "Grid capacity",
        "grid_capacity",
        None,
        ("capacit", "mutualisation", "grid_capacity"),
        "polygon or table",
        "#e6550d",
        "the grid capacity layer",
        table=True,
    ),
)

_BY_NAME = {r.name: r for r in REGISTRY}
ROLES: tuple[str, ...] = tuple(_BY_NAME)
ROLE_TITLES: dict[str, str] = {r.name: r.title for r in REGISTRY}


def role(name: str) -> Role:
    """The registry entry of a role (KeyError naming the known roles otherwise)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown layer role {name!r}; known roles: {', '.join(ROLES)}") from None
