"""``siteassess validate``: open every layer of a project and list what is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from siteassess.criteria import CRITERIA
from siteassess.criteria.power import min_kv_warning
from siteassess.errors import SiteAssessError
from siteassess.layers import Layer, open_layer, open_sites
from siteassess.layers.crs import crs_label
from siteassess.project import LayerSpec, Project, load_project


@dataclass(frozen=True)
class LayerCheck:
    """One layer's check: what was read, or the error that stopped it."""

    spec: LayerSpec
    path: Path
    layer: Layer | None
    error: str | None

    def lines(self) -> list[str]:
        """Text lines describing the layer and its problems."""
        head = f"[{self.spec.role}] {self.spec.label}"
        if self.layer is None:
            return [head, f"    path: {self.path}", f"    ERROR: {self.error}"]
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
    """The result of validating a project: per-layer checks and project-level errors."""

    project_file: Path
    project: Project | None = None
    working_crs: str | None = None
    checks: list[LayerCheck] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the project can be assessed."""
        return not self.errors and all(c.error is None for c in self.checks)

    def text(self) -> str:
        """The report as text."""
        lines = [f"project: {self.project_file}"]
        if self.project is not None:
            lines.append(f"name: {self.project.name}")
        if self.working_crs:
            lines.append(f"working CRS: {self.working_crs}")
        for c in self.checks:
            lines.extend(c.lines())
        lines.extend(f"WARNING: {w}" for w in self.warnings)
        lines.extend(f"ERROR: {e}" for e in self.errors)
        lines.append(
            "OK: the project can be assessed" if self.ok else "NOT OK: fix the errors above"
        )
        return "\n".join(lines) + "\n"


def validate_project(path: Path) -> ValidationReport:
    """Check a project file and each of its layers, collecting every problem found."""
    from siteassess.assessment import resolve_weights

    report = ValidationReport(project_file=path)
    try:
        project = load_project(path)
    except SiteAssessError as exc:
        report.errors.append(str(exc))
        return report
    report.project = project
    try:
        resolve_weights(project)
    except SiteAssessError as exc:
        report.errors.append(str(exc))
    power = project.criterion("power")
    if power is not None:
        params = CRITERIA["power"].resolve(power.params, project.demand_mw)
        low = min_kv_warning(params.get("min_kv"), project.demand_mw)
        if low is not None:
            report.warnings.append(f"{path}: [criteria.power] {low}")
    sites_spec = project.layers_of("sites")[0]
    try:
        sites, working = open_sites(project)
    except SiteAssessError as exc:
        report.checks.append(LayerCheck(sites_spec, project.resolve(sites_spec), None, str(exc)))
        return report
    report.working_crs = crs_label(working)
    report.checks.append(LayerCheck(sites_spec, project.resolve(sites_spec), sites, None))
    bounds = tuple(float(v) for v in sites.frame().total_bounds)
    for spec in project.layers:
        if spec.role == "sites":
            continue
        try:
            lyr = open_layer(spec, project, working, bounds)  # type: ignore[arg-type]
            report.checks.append(LayerCheck(spec, project.resolve(spec), lyr, None))
        except SiteAssessError as exc:
            report.checks.append(LayerCheck(spec, project.resolve(spec), None, str(exc)))
    return report
