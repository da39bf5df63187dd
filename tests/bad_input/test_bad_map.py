"""Bad input, class 9: site ids that are JavaScript's own names, in the map page's data.

In a JavaScript object literal, a key ``__proto__`` sets the object's prototype instead of
being a key, and ``constructor`` or ``toString`` are found on every object: keyed by site
id, such a site disappears and the others lose their colour. The page's data therefore
holds no object keyed by a site id, only ``[id, value]`` pairs (the page makes objects
without a prototype from them). That the page then draws and colours each site is tested
in a real web view in ``tests/ui/test_map_security.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely

from siteassess.assessment import assess
from siteassess.project import load_project
from siteassess.reports.webmap import MapOptions, build_map_html
from tests.bad_input.harness import project_file

BUILTIN_NAMES = [
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "__defineGetter__",
    "isPrototypeOf",
]
# The page's API script ends with its call on the map's variable and the data.
PAYLOAD = re.compile(r"^\}\)\((map_[0-9a-f]+), (\{.*\})\);$", re.M)


def keys_of_objects(value: Any) -> set[str]:
    """Every key of every JSON object inside ``value``."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of_objects(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of_objects(v)}
    return set()


def page_data(tmp_path: Path, site_ids: list[str]) -> tuple[dict[str, Any], str]:
    """The data the map page of these sites (as real GeoJSON file) passes to its script."""
    squares = [
        shapely.box(700_000 + 3000 * i, 7_000_000, 700_900 + 3000 * i, 7_000_900)
        for i in range(len(site_ids))
    ]
    gpd.GeoDataFrame({"site_id": site_ids}, geometry=squares, crs="EPSG:2154").to_file(
        tmp_path / "sites.geojson"
    )
    path = project_file(tmp_path, [{"role": "sites", "path": "sites.geojson"}], demand_mw=700)
    html = build_map_html(assess(load_project(path)), MapOptions(lang="fr"))
    found = PAYLOAD.findall(html)
    assert len(found) == 1, "the page's data script was not found"
    return json.loads(found[0][1]), html


@pytest.mark.parametrize("hostile", BUILTIN_NAMES)
def test_a_site_id_named_like_a_javascript_builtin_is_never_an_object_key(
    tmp_path: Path, hostile: str
) -> None:
    data, html = page_data(tmp_path, [hostile, "friche-b"])
    assert not ({hostile, "friche-b"} & keys_of_objects(data))
    scores = dict(data["scores"])  # the pairs, read as Python
    assert list(scores) == [hostile, "friche-b"]
    assert scores[hostile] == {"score": 100.0, "rank": 1, "excluded": False}  # 81 ha, 700 MW
    assert json.dumps({"site_id": hostile})[1:-1] in html  # the feature carries its id
