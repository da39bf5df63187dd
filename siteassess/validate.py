"""``siteassess validate``: run every check that assessing runs, and list what is wrong.

``validate`` promises what ``score`` does: it opens every layer with the function the
assessment uses, checks each criterion's parameters and value function, and, when all
layers open, measures and scores the project exactly as ``score`` would (without writing
anything and without the Monte-Carlo draws, whose bounds the project loader checks). An
"OK" that ``score`` then refuses is a bug; the bad-input corpus tests it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from siteassess.criteria import CRITERIA
from siteassess.criteria.power import min_kv_warning
from siteassess.criteria.rules import rule_text, rules_of
from siteassess.errors import Reason, SiteAssessError
from siteassess.layers import Layer
from siteassess.layers.crs import crs_label
from siteassess.project import LayerSpec, Project, load_project
from siteassess.project_checks import check_project


@dataclass(frozen=True)
class LayerCheck:
    """One layer's check: what was read, or the error that stopped it."""

    spec: LayerSpec
    path: Path
    layer: Layer | None
    error: str | None

    def lines(self) -> list[str]:
        """Text lines describing the layer and its problems (its error goes to stderr)."""
        head = f"[{self.spec.role}] {self.spec.label}"
        if self.layer is None:
            return [head, f"    path: {self.path}", "    not read: see the error below"]
        lyr = self.layer
        ext = ", ".join(f"{v:.0f}" for v in lyr.extent) if lyr.extent else "n/a"
        out = [
            head,
            f"    path: {self.path}",
            f"    format: {lyr.provenance.format}; CRS: {lyr.source_crs}; "
            f"features: {lyr.features if not lyr.is_raster else 'raster'}"
            + (" (within the read window)" if lyr.read_bounds is not None else ""),
            f"    extent (working CRS): {ext}",
        ]
        if lyr.raster is not None:
            px, py = lyr.raster.pixel_size
            out.append(
                f"    raster: {lyr.raster.width} × {lyr.raster.height} px of {px:g} × {py:g}, "
                f"nodata {lyr.raster.nodata}"
            )
        out.extend(
            f"    {i.severity}: {i.message}" + (f" — {i.action}" if i.action else "")
            for i in lyr.issues
        )
        return out


@dataclass
class ValidationReport:
    """The result of validating a project: per-layer checks, errors and warnings."""

    project_file: Path
    project: Project | None = None
    working_crs: str | None = None
    checks: list[LayerCheck] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    assessed: int | None = None  # sites measured and scored by the dry run
    rules: list[Reason] = field(default_factory=list)  # the project's hard rules, in words

    @property
    def ok(self) -> bool:
        """True when the project can be assessed."""
        return not self.errors and all(c.error is None for c in self.checks)

    def all_errors(self) -> list[str]:
        """Every error: the layers' first, then the project's."""
        return [c.error for c in self.checks if c.error is not None] + self.errors

    def text(self, lang: str = "en") -> str:
        """The report for stdout: the project, its layers, its hard rules (in ``lang``) and
        the verdict."""
        lines = [f"project: {self.project_file}"]
        if self.project is not None:
            lines.append(f"name: {self.project.name}")
        if self.working_crs:
            lines.append(f"working CRS: {self.working_crs}")
        for c in self.checks:
            lines.extend(c.lines())
        lines.extend(self.rules_lines(lang))
        if self.ok:
            done = f" ({self.assessed} sites measured and scored)" if self.assessed else ""
            lines.append(f"OK: the project can be assessed{done}")
        return "\n".join(lines) + "\n"

    def rules_lines(self, lang: str) -> list[str]:
        """The project's exclusion rules, one line each, in ``lang`` (none: no line)."""
        if not self.rules:
            return []
        from siteassess.reports.i18n_reports import colon, tr
        from siteassess.reports.messages import reason_text

        head = tr("Exclusion rules (blocking, whatever the score)", lang) + colon(lang).rstrip()
        return [head, *(f"    {reason_text(r, lang)}" for r in self.rules)]

    def problems_text(self) -> str:
        """The warnings and errors, for stderr (empty when there is none)."""
        lines = [f"WARNING: {w}" for w in self.warnings]
        lines += [f"ERROR: {e}" for e in self.all_errors()]
        if not self.ok:
            n = len(self.all_errors())
            lines.append(
                f"NOT OK: {self.project_file}: {n} error{'s' if n > 1 else ''}; fix "
                f"{'them' if n > 1 else 'it'} before assessing"
            )
        return "\n".join(lines) + "\n" if lines else ""


def validate_project(path: Path) -> ValidationReport:
    """Check a project file as assessing would, collecting every problem found."""
    report = ValidationReport(project_file=path)
    try:
        project = load_project(path)
    except SiteAssessError as exc:
        report.errors.append(str(exc))
        return report
    try:
        project = check_project(project)
    except SiteAssessError as exc:
        report.project = project
        report.errors.append(str(exc))
        return report
    report.project = project
    report.rules = [rule_text(c, r, m) for c, r, m in rules_of(CRITERIA, project)]
    _check_settings(project, report)
    layers, working = _open_all(project, report)
    if layers is None or working is None or not report.ok:
        return report
    _dry_run(project, layers, working, report)
    return report


def _check_settings(project: Project, report: ValidationReport) -> None:
    """Weights, criterion parameters and value functions, before any layer is read."""
    from siteassess.assessment import resolve_weights

    try:
        resolve_weights(project)
    except SiteAssessError as exc:
        report.errors.append(str(exc))
    power = project.criterion("power")
    if power is not None:
        params = CRITERIA["power"].resolve(power.params, project.demand_mw)
        low = min_kv_warning(params.get("min_kv"), project.demand_mw)
        if low is not None:
            report.warnings.append(f"{path_of(project)}: [criteria.power] {low}")


def path_of(project: Project) -> Path | str:
    """The project file, for messages."""
    return project.path or "project"


def _open_all(
    project: Project, report: ValidationReport
) -> tuple[dict[str, tuple[Layer, ...]] | None, Any]:
    """Open every layer with the assessment's own function; None when the sites fail."""
    from siteassess.layers.opening import open_every_layer

    opened = open_every_layer(project)
    for o in opened.openings:
        if o.tried:
            error = None if o.error is None else str(o.error)
            report.checks.append(LayerCheck(o.spec, o.path, o.layer, error))
    if opened.working is None:
        return None, None
    report.working_crs = crs_label(opened.working)
    return opened.by_role(), opened.working


def _dry_run(
    project: Project,
    layers: Mapping[str, tuple[Layer, ...]],
    working: Any,
    report: ValidationReport,
) -> None:
    """Measure and score as ``score`` does; record its refusal, and the weight it loses."""
    from siteassess.assessment import measure_layers, score

    sites = layers["sites"][0].frame()
    try:
        a = score(
            measure_layers(project, sites, dict(layers), working, lambda f, m: None),
            sensitivity=False,
        )
    except SiteAssessError as exc:
        report.errors.append(str(exc))
        return
    report.assessed = len(a.site_ids)
    lost = []
    for info in a.criteria:
        col = a.measurements.measures.get(info.measure)
        values = np.full(1, np.nan) if col is None else col.to_numpy(dtype=float, na_value=np.nan)
        if info.weight > 0 and not np.isfinite(values).any():
            lost.append((info, _missing_roles(info.name, layers)))
    if lost:
        report.warnings.append(_lost_weight_text(project, lost))


def _missing_roles(criterion: str, layers: Mapping[str, tuple[Layer, ...]]) -> list[str]:
    crit = CRITERIA.get(criterion)
    return [r for r in (crit.roles if crit else ()) if not layers.get(r)]


def _lost_weight_text(project: Project, lost: list[tuple[Any, list[str]]]) -> str:
    share = sum(info.weight for info, _ in lost) * 100
    parts = []
    for info, roles in lost:
        why = (
            f"no {' or '.join(roles)} layer"
            if roles
            else f"{info.measure} is not measurable for any site"
        )
        parts.append(f"{info.name} ({info.weight * 100:.0f} % of the weight): {why}")
    if (project.missing or "worst") == "worst":
        effect = f'with missing = "worst", no site can score above {100 - share:.0f}'
    else:
        effect = f"the scores rest on the remaining {100 - share:.0f} % of the weight"
    return (
        f"{path_of(project)}: {share:.0f} % of the weight cannot be measured: "
        f"{'; '.join(parts)}; {effect}. Add the missing layers, or set these weights to 0"
    )
