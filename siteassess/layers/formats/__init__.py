"""Importers of real French open-data formats; each module registers itself on import."""

from siteassess.layers.formats import (
    cartofriches,  # noqa: F401
    cnig_friches,  # noqa: F401
    cnig_plu,  # noqa: F401
    etalab_cadastre,  # noqa: F401
    exchanges,  # noqa: F401
    fcu,  # noqa: F401
    osm_power,  # noqa: F401
    tri_flood,  # noqa: F401
)
