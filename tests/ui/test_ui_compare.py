"""The compare view: best value per row, radar, same-scale insets, sensitivity and swap."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt

from siteassess.scoring import swap_weights

THREE = ["escaudain-soufflantes", "douvrin-fm-ouest", "douai-euradouai"]  # ranking order


def rows_by_label(dialog: Any) -> dict[str, list[Any]]:
    out = {}
    for r in range(dialog.table.rowCount()):
        label = dialog.table.verticalHeaderItem(r).text()
        out[label] = [dialog.table.item(r, c) for c in range(dialog.table.columnCount())]
    return out


def test_compare_three_sites(qtbot: Any, sample_window: Any) -> None:
    w = sample_window
    dialog = w.make_compare_dialog(THREE)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.chosen() == THREE  # ranking order
    assert dialog.table.columnCount() == 3
    rows = rows_by_label(dialog)
    a = w.assessment
    idx = [a.site_ids.index(s) for s in THREE]

    # Score: the highest is marked, and only it.
    scores = [float(a.table.scores[i]) for i in idx]
    marked = [item.text().startswith("★ ") for item in rows["Note (sur 100)"]]
    assert marked == [s == max(scores) for s in scores]
    assert rows["Note (sur 100)"][int(np.argmax(scores))].text().startswith("★ ")

    # Substation distance: smaller is better; ties are all marked.
    dist = a.measurements.measures["substation_distance_m"].to_numpy()[idx]
    marked = [item.text().startswith("★ ") for item in rows["Poste ≥ tension minimale"]]
    assert marked == [bool(np.isclose(d, dist.min())) for d in dist]

    # Flood share: all equal, nothing to mark.
    assert not any(item.text().startswith("★") for item in rows["Part en zone inondable"])

    # Probability of ranking first among these three sums to one.
    shares = [
        float(i.text().strip("★ ").replace("\u00a0%", "")) for i in rows["P(1re) parmi ces friches"]
    ]
    assert sum(shares) == pytest.approx(100, abs=1)

    # The radar has one series per site, values in 0..1 = the criterion values.
    assert len(dialog.radar.series) == 3
    assert dialog.radar.series[0].values == pytest.approx(tuple(a.table.values[idx[0]]))
    assert dialog.radar.axes[0] == "Raccordement électrique"

    # Insets: one per site, one scale for all.
    assert len(dialog.insets.insets) == 3
    assert dialog.insets.half_size_m >= 1500
    assert dialog.insets.insets[0].title == "Les Soufflantes (ex-Usinor)"
    assert rows["Commune"][0].text() == "Escaudain (59205)"
    assert dialog.insets.insets[2].target is not None  # nearest eligible substation

    # What would swap the first two: the core's own answer, in words.
    names = [c.name for c in a.criteria]
    swaps = swap_weights(names, a.table.values[idx[:2]], a.table.weights, 0, 1)
    text = dialog.sensitivity.text()
    assert "Pour inverser" in text
    first = swaps[0]
    assert f"{first.weight_after * 100:.1f}".replace(".", ",") in text


def test_between_two_and_five_sites(qtbot: Any, sample_window: Any) -> None:
    dialog = sample_window.make_compare_dialog(THREE)
    qtbot.addWidget(dialog)
    dialog.set_sites(THREE[:1])
    assert dialog.table.columnCount() == 0 and "deux à cinq" in dialog.hint.text()
    everything = [r.site_id for r in sample_window.model.rows]
    dialog.set_sites(everything[:5])
    assert len(dialog.chosen()) == 5
    sixth = next(
        dialog.picker.item(k)
        for k in range(dialog.picker.count())
        if dialog.picker.item(k).checkState() == Qt.Unchecked
    )
    sixth.setCheckState(Qt.Checked)
    assert len(dialog.chosen()) == 5
    assert "au plus cinq" in dialog.hint.text()


def test_an_excluded_site_can_be_compared(qtbot: Any, sample_window: Any) -> None:
    dialog = sample_window.make_compare_dialog(["loon-plage-edf", "douvrin-fm-ouest"])
    qtbot.addWidget(dialog)
    rows = rows_by_label(dialog)
    excl = [item.text() for item in rows["Exclusion"]]
    # In the app's language, never the core's English sentence.
    assert "du scénario moyen" in excl[0 if dialog.chosen()[0] == "loon-plage-edf" else 1]
    assert "Au moins deux" in dialog.sensitivity.text()


def test_no_star_below_a_measures_precision_and_a_separation_notice(
    qtbot: Any, window: Any, tmp_path: Any
) -> None:
    from tests.conftest import sample_without
    from tests.ui.conftest import wait_assessed

    assert window.open_project(sample_without(tmp_path, "fibre"), ask=False)
    wait_assessed(qtbot, window)
    dialog = window.make_compare_dialog(THREE)
    qtbot.addWidget(dialog)
    rows = rows_by_label(dialog)
    rtt = [item.text() for item in rows["Aller-retour moyen FLAP"]]
    assert len({t.strip("★ ") for t in rtt}) > 1  # the values differ by hundredths of a ms…
    assert not any(t.startswith("★") for t in rtt)  # …which is below the 0.1 ms precision
    assert "ne départage pas ces sites" in dialog.separation.text()
    assert "Connectivité" in dialog.separation.text()
