"""CSV points: separators, encodings, decimal commas, x/y and WKT columns, bad tables."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pyproj import CRS, Transformer

from siteassess.errors import CRSError, LayerContentError, LayerLoadError, SiteAssessError
from siteassess.layers import Layer, open_layer
from siteassess.project import Project

TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
LON = [3.08, 2.7775]
LAT = [50.37, 50.291]


def _open_csv(
    tmp_path: Path,
    make_project: Callable[..., Project],
    sites_layer: dict[str, Any],
    text: str,
    written: str,
    **keys: Any,
) -> Layer:
    path = tmp_path / "points.csv"
    path.write_bytes(text.encode(written))
    layer = {"role": "context", "path": path.name, **keys}
    project = make_project([sites_layer, layer], crs="EPSG:2154")
    return open_layer(project.layers_of("context")[0], project, CRS.from_epsg(2154), None)


def _xy(layer: Layer) -> np.ndarray:
    gdf = layer.frame()
    return np.column_stack([gdf.geometry.x, gdf.geometry.y])


CASES = {
    # name: (text, encoding written, expected encoding reported, second name)
    "semicolon-utf8-decimal-comma": (
        "id;nom;lon;lat\nA;Lestarquit-é;3,08;50,37\nB;Arras;2,7775;50,291\n",
        "utf-8",
        "utf-8",
    ),
    "comma-utf8-bom": (
        "id,nom,lon,lat\nA,Lestarquit-é,3.08,50.37\nB,Arras,2.7775,50.291\n",
        "utf-8-sig",
        "utf-8",
    ),
    "comma-quoted-decimal-comma": (
        'id,nom,lon,lat\nA,Lestarquit-é,"3,08","50,37"\nB,Arras,"2,7775","50,291"\n',
        "utf-8",
        "utf-8",
    ),
    "semicolon-latin1": (
        "id;nom;lon;lat\nA;Lestarquit-é;3,08;50,37\nB;Arras;2,7775;50,291\n",
        "latin-1",
        None,  # é is the same byte in Latin-1 and cp1252: either label is right
    ),
    "semicolon-cp1252-oe": (
        "id;nom;lon;lat\nA;Lestarquit-é;3,08;50,37\nB;Cœur d'Arras;2,7775;50,291\n",
        "cp1252",
        "cp1252",
    ),
    "crlf-line-ends": (
        "id;nom;lon;lat\r\nA;Lestarquit-é;3.08;50.37\r\nB;Arras;2.7775;50.291\r\n",
        "utf-8",
        "utf-8",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_csv_points_in_every_separator_and_encoding(
    case: str,
    tmp_path: Path,
    make_project: Callable[..., Project],
    sites_layer: dict[str, Any],
) -> None:
    text, written, reported = CASES[case]
    layer = _open_csv(
        tmp_path,
        make_project,
        sites_layer,
        text,
        written,
        x_field="lon",
        y_field="lat",
        crs="EPSG:4326",
    )
    assert layer.features == 2
    assert layer.provenance.format == "csv"
    names = list(layer.frame()["nom"])
    assert names[0] == "Lestarquit-é"
    assert names[1] == ("Cœur d'Arras" if "oe" in case else "Arras")
    if reported is not None:
        assert layer.provenance.encoding == reported
    else:
        assert layer.provenance.encoding in ("latin-1", "cp1252", "iso-8859-1")
    x, y = TO_L93.transform(LON, LAT)
    np.testing.assert_allclose(_xy(layer), np.column_stack([x, y]), atol=0.01)
    # a table's columns stay text: codes such as "01" keep their leading zero
    assert layer.frame()["id"].tolist() == ["A", "B"]


def test_csv_explicit_encoding_and_separator_are_used(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    text = "id|nom|x|y\nA|Œuvre-é|705000|7030000\n"
    layer = _open_csv(
        tmp_path,
        make_project,
        sites_layer,
        text,
        "cp1252",
        encoding="cp1252",
        separator="|",
        crs="EPSG:2154",
    )
    assert layer.frame()["nom"].tolist() == ["Œuvre-é"]
    np.testing.assert_allclose(_xy(layer), [[705_000.0, 7_030_000.0]])
    assert layer.issues == ()  # already in the working CRS: nothing to note


def test_csv_x_y_columns_guessed_when_not_named(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    text = "nom;Longitude;Latitude\nA;3,08;50,37\n"
    layer = _open_csv(tmp_path, make_project, sites_layer, text, "utf-8", crs="EPSG:4326")
    x, y = TO_L93.transform(3.08, 50.37)
    np.testing.assert_allclose(_xy(layer), [[x, y]], atol=0.01)


def test_csv_wkt_column(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    text = (
        "id;geom\n"
        "P;POINT (705000 7030000)\n"
        'L;"LINESTRING (705000 7030000, 705300 7030400)"\n'
        "Q;POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))\n"
    )
    layer = _open_csv(
        tmp_path, make_project, sites_layer, text, "utf-8", wkt_field="geom", crs="EPSG:2154"
    )
    gdf = layer.frame()
    assert layer.features == 3
    assert list(gdf.geom_type) == ["Point", "LineString", "Polygon"]
    assert gdf.geometry.iloc[1].length == pytest.approx(500.0)  # a 300-400-500 triangle
    assert gdf.geometry.iloc[2].area == pytest.approx(100.0)


def test_csv_rows_without_coordinates_are_skipped_and_counted_once(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    text = (
        "id;lon;lat\n"
        "A;3,08;50,37\n"
        "B;;50,30\n"  # blank longitude
        "C;2,7775;\n"  # blank latitude
        "D;  ;  \n"  # blanks made of spaces
        "E;n/a;50,1\n"  # not a number
        "F;2,7775;50,291\n"
    )
    layer = _open_csv(
        tmp_path,
        make_project,
        sites_layer,
        text,
        "utf-8",
        x_field="lon",
        y_field="lat",
        crs="EPSG:4326",
    )
    assert layer.features == 2
    assert layer.frame()["id"].tolist() == ["A", "F"]
    skipped = [i for i in layer.issues if i.action == "skipped"]
    assert len(skipped) == 1, [str(i) for i in layer.issues]
    assert "4 of 6 rows" in skipped[0].message
    assert skipped[0].source == str(tmp_path / "points.csv")


def test_csv_with_every_wkt_unreadable_is_refused(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    text = "id;geom\nA;POINT (1 2\nB;\n"
    with pytest.raises(LayerContentError, match=r"points\.csv.*no feature with a geometry"):
        _open_csv(
            tmp_path, make_project, sites_layer, text, "utf-8", wkt_field="geom", crs="EPSG:2154"
        )


def test_csv_without_the_named_columns_lists_the_columns(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    text = "id;X_L93;Y_L93\nA;705000;7030000\n"
    with pytest.raises(LayerContentError) as info:
        _open_csv(
            tmp_path,
            make_project,
            sites_layer,
            text,
            "utf-8",
            x_field="lon",
            y_field="lat",
            crs="EPSG:2154",
        )
    msg = str(info.value)
    assert str(tmp_path / "points.csv") in msg
    assert "'lon'" in msg and "'lat'" in msg
    assert "id, X_L93, Y_L93" in msg


def test_csv_without_recognisable_columns_says_to_set_them(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    text = "id;est;nord\nA;705000;7030000\n"
    with pytest.raises(LayerContentError) as info:
        _open_csv(tmp_path, make_project, sites_layer, text, "utf-8", crs="EPSG:2154")
    msg = str(info.value)
    assert "points.csv" in msg and "x_field" in msg and "id, est, nord" in msg


def test_csv_wkt_field_missing_lists_the_columns(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    text = "id;geometry\nA;POINT (1 2)\n"
    with pytest.raises(LayerContentError, match=r"points\.csv.*'wkt'.*id, geometry"):
        _open_csv(
            tmp_path, make_project, sites_layer, text, "utf-8", wkt_field="wkt", crs="EPSG:2154"
        )


def test_csv_without_crs_names_the_layer_and_asks_for_crs(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    text = "id;lon;lat\nA;3,08;50,37\n"
    with pytest.raises(CRSError) as info:
        _open_csv(
            tmp_path,
            make_project,
            sites_layer,
            text,
            "utf-8",
            name="Points d'échange",
            x_field="lon",
            y_field="lat",
        )
    msg = str(info.value)
    assert "Points d'échange" in msg
    assert "points.csv" in msg
    assert 'crs = "EPSG:4326"' in msg
    assert isinstance(info.value, SiteAssessError)


def test_csv_with_an_unknown_crs_names_the_layer(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    text = "id;lon;lat\nA;3,08;50,37\n"
    with pytest.raises(CRSError, match=r"context \(points\.csv\).*EPSG:99999"):
        _open_csv(tmp_path, make_project, sites_layer, text, "utf-8", crs="EPSG:99999")


@pytest.mark.parametrize(
    "text",
    [
        "id,lon,lat\nA,3,08,50.37\nB,2,7775,50.291\n",  # one extra field: pandas' index trap
        "id,lon,lat\nA,3,08,50,37\n",  # two extra fields
        "id,lon,lat\nA,3.08,50.37\nB,2,7775,50.291\n",  # only the third line
    ],
    ids=["lon-comma", "both-commas", "third-line"],
)
def test_unquoted_decimal_commas_in_a_comma_csv_are_refused_not_shifted(
    text: str,
    tmp_path: Path,
    make_project: Callable[..., Project],
    sites_layer: dict[str, Any],
) -> None:
    with pytest.raises(LayerLoadError) as info:
        _open_csv(
            tmp_path,
            make_project,
            sites_layer,
            text,
            "utf-8",
            x_field="lon",
            y_field="lat",
            crs="EPSG:4326",
        )
    msg = str(info.value)
    assert str(tmp_path / "points.csv") in msg
    if "3.08" in text:  # a later line: pandas' own tokenizer message names it
        assert "line 3" in msg
    else:
        assert "line 2" in msg and "more fields than the header" in msg
