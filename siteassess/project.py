"""The project file: one TOML document per assessment, paths relative to it.

The key names are a contract that users' scripts rely on (see README). Loading then
saving gives the same project; saving is atomic (temporary file, then rename).
"""

from __future__ import annotations

import math
import stat
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import tomli_w

from siteassess.atomic import atomic_write_bytes
from siteassess.errors import ProjectError
from siteassess.roles import ROLE_TITLES as ROLE_TITLES
from siteassess.roles import ROLES as ROLES

SCHEMA_VERSION = 1
# The roles and their titles come from the role registry (siteassess.roles).
MISSING_POLICIES = ("worst", "renormalise")


def is_illustrative_text(source: str | None) -> bool:
    """True when a source text says its data are illustrative (« illustratif »), not real."""
    text = (source or "").lower()
    return "illustrative" in text or "illustratif" in text


WEIGHT_METHODS = ("direct", "ahp")


@dataclass(frozen=True)
class LayerSpec:
    """One ``[[layers]]`` entry as written in the project file (paths still relative)."""

    role: str
    path: str
    name: str | None = None
    format: str | None = None
    layer: str | None = None  # sub-layer of a GeoPackage or a zip
    crs: str | None = None  # the file's CRS when it has none (or to override it)
    encoding: str | None = None
    separator: str | None = None
    id_field: str | None = None
    name_field: str | None = None
    x_field: str | None = None
    y_field: str | None = None
    wkt_field: str | None = None
    market_field: str | None = None
    scenario_field: str | None = None
    scenario: str | None = None  # raster flood layers: the scenario of the depths
    kv_field: str | None = None
    voltage_unit: str | None = None  # "kV" (default) or "V"
    status_field: str | None = None
    approximate_field: str | None = None
    commune_field: str | None = None  # sites or a context layer of communes: commune name
    insee_field: str | None = None  # ... and its INSEE code
    # sites: a designation by the State (« site clé en main », national-interest project),
    # with its source and date; shown as a flag, never scored
    designation_field: str | None = None
    designation_source_field: str | None = None
    designation_date_field: str | None = None
    # grid_capacity: one row per step (MW available from a year), per zone or substation
    mw_field: str | None = None
    year_field: str | None = None
    quote_part_field: str | None = None  # k€/MW, as RTE and the CRE publish it
    substation_field: str | None = None  # a table per substation: the poste's code or name
    source_field: str | None = None
    source: str | None = None
    source_fr: str | None = None  # the same source in French, for French output
    licence: str | None = None
    date: str | None = None

    @property
    def label(self) -> str:
        """How messages name the layer: its name, else its role and file name."""
        return self.name or f"{self.role} ({Path(self.path).name})"

    @property
    def is_illustrative(self) -> bool:
        """True when the project says the layer's data are illustrative, not real."""
        return is_illustrative_text(self.source) or is_illustrative_text(self.source_fr)


@dataclass(frozen=True)
class TransformOverride:
    """A value function given in the project (``transform = {kind = "linear", ...}``)."""

    kind: str
    best: float | None = None
    worst: float | None = None
    points: tuple[tuple[float, float], ...] = ()


RULE_OPERATORS = ("above", "below", "equals", "in")
# The keys of a criterion declared in the project file, with no code (``kind = "overlap"``,
# see siteassess.criteria.declared); the rest of its table is as any criterion's.
DECLARATION_KEYS = (
    "kind",
    "layer",
    "label",
    "label_fr",
    "unit",
    "source",
    "source_fr",
    "filter_field",
    "filter_in",
    "name_field",
    "category_field",
    "categories",
    "field",
    "values",
    "better",
    "reach_m",
    "decimals",
)
# The short forms of a rule on the scored measure: ``exclude_above = 10`` ...
SHORT_RULE_KEYS = {f"exclude_{op}": op for op in RULE_OPERATORS}


@dataclass(frozen=True)
class ExclusionRule:
    """One hard rule of a ``[criteria.NAME]`` table: a site whose ``measure`` is above,
    below, equal to or one of ``value`` is excluded, whatever its score.

    ``measure`` None is the criterion's scored measure. ``key`` is how the project file
    wrote the rule (``exclude_above_pct``, ``exclude[1]``): messages name it and saving
    writes it back the same way.
    """

    op: str  # one of RULE_OPERATORS
    value: float | str | tuple[float | str, ...]
    measure: str | None = None
    key: str = ""


@dataclass(frozen=True)
class CriterionSettings:
    """One ``[criteria.NAME]`` table: weight, optional measure and transform, parameters,
    exclusion rules, and for a criterion declared in the project its ``kind`` and
    declaration (``layer``, ``label``, ``unit``...; checked by ``project_checks``)."""

    name: str
    weight: float
    measure: str | None = None
    transform: TransformOverride | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    rules: tuple[ExclusionRule, ...] = ()
    # A criterion declared in the project (``kind`` given): its DECLARATION_KEYS as written.
    declaration: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WeightSettings:
    """``[weights]``: direct weights (from each criterion) or an AHP pairwise matrix."""

    method: str = "direct"
    criteria: tuple[str, ...] = ()
    matrix: tuple[tuple[float, ...], ...] = ()
    force: bool = False


@dataclass(frozen=True)
class SensitivitySettings:
    """``[sensitivity]``: Monte-Carlo perturbation of the weights."""

    draws: int = 1000
    spread: float = 0.25  # each weight times Uniform(1 - spread, 1 + spread)
    seed: int = 0


@dataclass(frozen=True)
class Project:
    """A whole assessment as read from (or to be written to) a project file."""

    name: str
    layers: tuple[LayerSpec, ...]
    criteria: tuple[CriterionSettings, ...]
    path: Path | None = None  # the project file; layer paths are relative to its folder
    schema: int = SCHEMA_VERSION
    crs: str | None = None
    demand_mw: float | None = None
    description: str | None = None
    repair_geometry: bool = True
    read_margin_m: float | None = None
    missing: str | None = None  # how a not-measurable criterion counts: worst | renormalise
    weights: WeightSettings | None = None
    sensitivity: SensitivitySettings | None = None
    map_tiles: str | None = None  # [map] tiles: an MBTiles file or an XYZ folder, for the map
    # [compute] scheduler: a dask.distributed address (tcp://host:8786); None: this machine
    scheduler: str | None = None

    @property
    def folder(self) -> Path:
        """The folder that layer paths are relative to."""
        return self.path.parent if self.path is not None else Path.cwd()

    def resolve(self, spec: LayerSpec) -> Path:
        """The absolute path of a layer's file."""
        p = Path(spec.path)
        return p if p.is_absolute() else (self.folder / p)

    def tiles_path(self) -> Path | None:
        """The absolute path of the map's background tiles (``[map] tiles``), if set."""
        if self.map_tiles is None:
            return None
        p = Path(self.map_tiles)
        return p if p.is_absolute() else (self.folder / p)

    def layers_of(self, role: str) -> tuple[LayerSpec, ...]:
        """Every layer of one role, in file order."""
        return tuple(s for s in self.layers if s.role == role)

    def criterion(self, name: str) -> CriterionSettings | None:
        """The settings of one criterion, or None when the project does not use it."""
        return next((c for c in self.criteria if c.name == name), None)

    def with_weights(self, weights: Mapping[str, float]) -> Project:
        """A copy with new direct weights (criteria not named keep theirs)."""
        crit = tuple(replace(c, weight=float(weights.get(c.name, c.weight))) for c in self.criteria)
        return replace(self, criteria=crit, weights=None)


# ---------------------------------------------------------------------------- loading


# A project file holds settings and layer paths: a few kilobytes. Anything this large is not one.
MAX_PROJECT_BYTES = 4 * 1024 * 1024


def _read_small_file(p: Path) -> bytes:
    """The bytes of a regular file of at most MAX_PROJECT_BYTES; never waits on a device or FIFO."""
    st = p.stat()  # FileNotFoundError and PermissionError go to the caller
    if stat.S_ISDIR(st.st_mode):
        raise ProjectError(f"{p}: is a folder; give the project file (project.toml) inside it")
    if not stat.S_ISREG(st.st_mode):
        raise ProjectError(
            f"{p}: is not a regular file (a device, pipe or socket); give a project file"
        )
    if st.st_size > MAX_PROJECT_BYTES:
        raise ProjectError(
            f"{p}: {st.st_size / 1e6:.1f} MB is far too large for a project file (at most "
            f"{MAX_PROJECT_BYTES // (1024 * 1024)} MB); is this really a siteassess project?"
        )
    with p.open("rb") as fh:
        return fh.read(MAX_PROJECT_BYTES + 1)[:MAX_PROJECT_BYTES]


def load_project(path: str | Path) -> Project:
    """Read and check a project file; raise :class:`ProjectError` naming the file."""
    p = Path(path)
    try:
        raw = _read_small_file(p)
    except FileNotFoundError:
        raise ProjectError(f"{p}: project file not found") from None
    except OSError as exc:
        raise ProjectError(f"{p}: cannot read the project file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProjectError(
            f"{p}: the project file is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{p}: not valid TOML: {exc}") from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables by recursion.
        raise ProjectError(
            f"{p}: arrays or tables are nested too deeply to read; a project file needs "
            "at most a few levels (is this really a siteassess project?)"
        ) from None
    return project_from_dict(data, path=p.resolve())


def project_from_dict(data: Mapping[str, Any], *, path: Path | None = None) -> Project:
    """Build a :class:`Project` from parsed TOML, checking every key and value."""
    where = str(path) if path is not None else "project"
    r = TableReader(data, where)
    schema = r.integer("schema", required=True)
    if schema != SCHEMA_VERSION:
        raise ProjectError(
            f"{where}: schema = {schema} is not supported; this version reads schema = "
            f"{SCHEMA_VERSION}"
        )
    name = r.string("name", required=True)
    layers_raw = r.list_of_tables("layers")
    criteria_raw = r.table("criteria")
    weights_raw = r.table("weights", required=False)
    sens_raw = r.table("sensitivity", required=False)
    map_raw = r.table("map", required=False)
    compute_raw = r.table("compute", required=False)
    project = Project(
        schema=schema,
        name=name,
        path=path,
        crs=r.string("crs"),
        demand_mw=r.number("demand_mw", positive=True),
        description=r.string("description"),
        repair_geometry=bool(r.boolean("repair_geometry", default=True)),
        read_margin_m=r.number("read_margin_m", positive=True),
        missing=r.choice("missing", MISSING_POLICIES),
        layers=tuple(_layer(t, f"{where}: layers[{i}]") for i, t in enumerate(layers_raw)),
        criteria=_criteria(criteria_raw, where),
        weights=_weights(weights_raw, where) if weights_raw is not None else None,
        sensitivity=_sensitivity(sens_raw, where) if sens_raw is not None else None,
        map_tiles=_map_tiles(map_raw, where) if map_raw is not None else None,
        scheduler=_scheduler(compute_raw, where) if compute_raw is not None else None,
    )
    r.finish()
    if not project.layers_of("sites"):
        raise ProjectError(f'{where}: no layer has role = "sites"; add one [[layers]] for them')
    if len(project.layers_of("sites")) > 1:
        raise ProjectError(f'{where}: only one layer may have role = "sites"')
    return project


_LAYER_FIELDS = {f.name for f in fields(LayerSpec)}


def _layer(data: Mapping[str, Any], where: str) -> LayerSpec:
    r = TableReader(data, where)
    values: dict[str, Any] = {}
    for name in _LAYER_FIELDS:
        values[name] = r.string(name, required=name in ("role", "path"))
    r.finish()
    if values["role"] not in ROLES:
        raise ProjectError(
            f"{where}: role = {values['role']!r} is not known; use one of {', '.join(ROLES)}"
        )
    sep = values["separator"]
    if sep is not None and (len(sep) != 1 or sep in '"\r\n'):
        raise ProjectError(
            f'{where}: separator = {sep!r}: give one character, such as ";", ",", '
            '"|" or "\\t" for a tab'
        )
    if values["voltage_unit"] not in (None, "kV", "V"):
        raise ProjectError(f'{where}: voltage_unit must be "kV" or "V"')
    return LayerSpec(**values)


def _criteria(data: Mapping[str, Any], where: str) -> tuple[CriterionSettings, ...]:
    """The ``[criteria.NAME]`` tables as written: weight, measure, value function, parameters.

    Only the structure is checked here. Whether the criterion, its measure and its
    parameters exist is checked against the registries where the project is opened for
    assessing (:func:`siteassess.project_checks.check_project`).
    """
    out = []
    for name, table in data.items():
        w = f"{where}: [criteria.{name}]"
        if not isinstance(table, Mapping):
            raise ProjectError(f"{w}: must be a table")
        r = TableReader(table, w)
        weight = r.number("weight", required=True, minimum=0.0)
        assert weight is not None
        measure = r.string("measure")
        tr = r.table("transform", required=False)
        rules = _rules(r, w)
        declaration = (
            {k: r.data.pop(k) for k in DECLARATION_KEYS if k in r.data} if "kind" in r.data else {}
        )
        params = dict(r.data)  # the rest: the criterion's parameters, checked later
        r.data.clear()
        for pname, value in params.items():
            if not isinstance(value, str | int | float | bool):
                raise ProjectError(
                    f"{w}: {pname} must be a number, a text in quotes or true/false, not {value!r}"
                )
        out.append(
            CriterionSettings(
                name=name,
                weight=weight,
                measure=measure,
                transform=_transform(tr, f"{w}.transform") if tr is not None else None,
                params=params,
                rules=rules,
                declaration=declaration,
            )
        )
    if not out:
        raise ProjectError(f"{where}: [criteria] is empty; add at least one criterion")
    return tuple(out)


def _rule_value(op: str, v: Any, where: str, key: str) -> float | str | tuple[float | str, ...]:
    """A rule's limit: a number for above/below, a number or text for equals, a list for in."""
    if op in ("above", "below"):
        if not _is_num(v) or not math.isfinite(v):
            raise ProjectError(f"{where}: {key} must be a number, not {v!r}")
        return float(v)
    if op == "equals":
        if not (_is_num(v) or isinstance(v, str)):
            raise ProjectError(f"{where}: {key} must be a number or a text in quotes, not {v!r}")
        return float(v) if _is_num(v) else str(v)
    if not isinstance(v, list) or not v or not all(_is_num(x) or isinstance(x, str) for x in v):
        raise ProjectError(
            f'{where}: {key} must be a list of values, such as ["A", "N"], not {v!r}'
        )
    return tuple(float(x) if _is_num(x) else str(x) for x in v)


def _rules(r: TableReader, where: str) -> tuple[ExclusionRule, ...]:
    """The exclusion rules of a criterion table: the short forms on the scored measure
    (``exclude_above = 10``) and ``[[criteria.NAME.exclude]]`` tables on any measure."""
    out: list[ExclusionRule] = []
    for key, op in SHORT_RULE_KEYS.items():
        v = r.any(key)
        if v is not None:
            out.append(ExclusionRule(op, _rule_value(op, v, where, key), None, key))
    raw = r.any("exclude")
    if raw is None:
        return tuple(out)
    if not isinstance(raw, list) or not all(isinstance(t, Mapping) for t in raw):
        raise ProjectError(
            f"{where}: exclude must be written as [[criteria.NAME.exclude]] tables, each "
            'with a measure and one of above, below, equals or in (measure = "…", above = 10)'
        )
    for i, table in enumerate(raw):
        w = f"{where}.exclude[{i}]"
        tr = TableReader(table, w)
        measure = tr.string("measure")
        given = {op: tr.any(op) for op in RULE_OPERATORS}
        tr.finish()
        ops = [op for op, v in given.items() if v is not None]
        if len(ops) != 1:
            raise ProjectError(
                f"{w}: give exactly one of above, below, equals or in (got "
                f"{', '.join(ops) or 'none'})"
            )
        op = ops[0]
        out.append(ExclusionRule(op, _rule_value(op, given[op], w, op), measure, f"exclude[{i}]"))
    return tuple(out)


def _transform(data: Mapping[str, Any], where: str) -> TransformOverride:
    r = TableReader(data, where)
    kind = r.string("kind", required=True)  # checked against the registry later
    assert kind is not None
    best = r.number("best")
    worst = r.number("worst")
    pts_raw = r.any("points")
    r.finish()
    points: list[tuple[float, float]] = []
    if pts_raw is not None:
        if not isinstance(pts_raw, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(_is_num(x) for x in p) for p in pts_raw
        ):
            raise ProjectError(f"{where}: points must be a list of [measure, value] pairs")
        points = [(float(a), float(b)) for a, b in pts_raw]
    return TransformOverride(kind=kind, best=best, worst=worst, points=tuple(points))


def _weights(data: Mapping[str, Any], where: str) -> WeightSettings:
    w = f"{where}: [weights]"
    r = TableReader(data, w)
    method = r.choice("method", WEIGHT_METHODS, default="direct")
    assert method is not None
    crit = r.any("criteria")
    matrix = r.any("matrix")
    force = r.boolean("force", default=False)
    r.finish()
    if method == "direct":
        if crit is not None or matrix is not None:
            raise ProjectError(f'{w}: criteria and matrix are only for method = "ahp"')
        return WeightSettings(method="direct", force=bool(force))
    if not isinstance(crit, list) or not all(isinstance(c, str) for c in crit):
        raise ProjectError(f'{w}: method = "ahp" needs criteria = [names in matrix order]')
    if not isinstance(matrix, list) or not all(
        isinstance(row, list) and all(_is_num(x) for x in row) for row in matrix
    ):
        raise ProjectError(f"{w}: matrix must be a list of rows of numbers")
    return WeightSettings(
        method="ahp",
        criteria=tuple(crit),
        matrix=tuple(tuple(float(x) for x in row) for row in matrix),
        force=bool(force),
    )


def _sensitivity(data: Mapping[str, Any], where: str) -> SensitivitySettings:
    r = TableReader(data, f"{where}: [sensitivity]")
    d = SensitivitySettings()
    raw_draws = r.any("draws")
    spread = r.number("spread", default=d.spread, minimum=0.0)
    seed = r.integer("seed", default=d.seed)
    r.finish()
    assert spread is not None and seed is not None
    draws = d.draws if raw_draws is None else raw_draws
    if not isinstance(draws, int) or isinstance(draws, bool) or draws < 0:
        # The upper bound is the scoring's; it is checked where the project is assessed.
        shown = f"{draws:g}" if _is_num(draws) else repr(draws)
        raise ProjectError(
            f"{where}: [sensitivity] draws = {shown}: give a whole number of draws (1000 is "
            "plenty to see how stable the ranking is; 0 turns the Monte-Carlo test off)"
        )
    if spread >= 1:
        raise ProjectError(f"{where}: [sensitivity] needs 0 <= spread < 1, not {spread:g}")
    return SensitivitySettings(draws=draws, spread=spread, seed=seed)


def _map_tiles(data: Mapping[str, Any], where: str) -> str | None:
    """``[map]``: ``tiles``, a local MBTiles file or XYZ folder (checked when the map opens)."""
    r = TableReader(data, f"{where}: [map]")
    tiles = r.string("tiles")
    r.finish()
    return str(tiles) if tiles else None


def _scheduler(data: Mapping[str, Any], where: str) -> str | None:
    """``[compute]``: ``scheduler``, the address of a dask.distributed scheduler."""
    r = TableReader(data, f"{where}: [compute]")
    address = r.string("scheduler")
    r.finish()
    if address and "://" not in address:
        raise ProjectError(
            f"{where}: [compute] scheduler = {address!r} is not an address; write it as "
            '"tcp://host:8786"'
        )
    return str(address) if address else None


def _is_num(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


class TableReader:
    """Takes keys out of one TOML table, checking types; ``finish`` refuses leftovers."""

    def __init__(self, data: Mapping[str, Any], where: str) -> None:
        if not isinstance(data, Mapping):
            raise ProjectError(f"{where}: must be a table")
        self.data = dict(data)
        self.where = where

    def any(self, key: str, *, required: bool = False) -> Any:
        if key not in self.data:
            if required:
                raise ProjectError(f"{self.where}: missing key {key!r}")
            return None
        return self.data.pop(key)

    def string(self, key: str, *, required: bool = False) -> Any:
        v = self.any(key, required=required)
        if v is not None and not isinstance(v, str):
            raise ProjectError(f"{self.where}: {key} must be a string (in quotes), not {v!r}")
        return v

    def choice(
        self,
        key: str,
        choices: Sequence[str],
        *,
        required: bool = False,
        default: str | None = None,
    ) -> str | None:
        v = self.string(key, required=required)
        if v is None:
            return default
        if v not in choices:
            raise ProjectError(f"{self.where}: {key} = {v!r}; use one of {', '.join(choices)}")
        return str(v)

    def number(
        self,
        key: str,
        *,
        required: bool = False,
        default: float | None = None,
        positive: bool = False,
        minimum: float | None = None,
    ) -> float | None:
        v = self.any(key, required=required)
        if v is None:
            return default
        if not _is_num(v) or not math.isfinite(v):
            raise ProjectError(f"{self.where}: {key} must be a number, not {v!r}")
        if positive and v <= 0:
            raise ProjectError(f"{self.where}: {key} must be greater than 0, not {v}")
        if minimum is not None and v < minimum:
            raise ProjectError(f"{self.where}: {key} must be at least {minimum}, not {v}")
        return float(v)

    def integer(
        self, key: str, *, required: bool = False, default: int | None = None
    ) -> int | None:
        v = self.any(key, required=required)
        if v is None:
            return default
        if not isinstance(v, int) or isinstance(v, bool):
            raise ProjectError(f"{self.where}: {key} must be a whole number, not {v!r}")
        return v

    def boolean(self, key: str, *, default: bool | None = None) -> bool | None:
        v = self.any(key)
        if v is None:
            return default
        if not isinstance(v, bool):
            raise ProjectError(f"{self.where}: {key} must be true or false, not {v!r}")
        return v

    def table(self, key: str, *, required: bool = True) -> Any:
        v = self.any(key, required=required)
        if v is not None and not isinstance(v, Mapping):
            raise ProjectError(f"{self.where}: {key} must be a table")
        return v

    def list_of_tables(self, key: str) -> list[Mapping[str, Any]]:
        v = self.any(key, required=True)
        if not isinstance(v, list) or not all(isinstance(t, Mapping) for t in v):
            raise ProjectError(f"{self.where}: {key} must be written as [[{key}]] tables")
        return v

    def finish(self) -> None:
        if self.data:
            keys = ", ".join(sorted(self.data))
            raise ProjectError(f"{self.where}: unknown key(s): {keys}; check the spelling")


# ----------------------------------------------------------------------------- saving


def project_to_dict(project: Project) -> dict[str, Any]:
    """The TOML document of a project (only the keys that are set)."""
    doc: dict[str, Any] = {"schema": project.schema, "name": project.name}
    for key in ("crs", "demand_mw", "description", "read_margin_m", "missing"):
        v = getattr(project, key)
        if v is not None:
            doc[key] = _num(v)
    if not project.repair_geometry:
        doc["repair_geometry"] = False
    doc["layers"] = [
        {f.name: getattr(s, f.name) for f in fields(LayerSpec) if getattr(s, f.name) is not None}
        for s in project.layers
    ]
    crit: dict[str, Any] = {}
    for c in project.criteria:
        t: dict[str, Any] = {"weight": _num(c.weight)}
        t.update({k: _num(v) for k, v in c.declaration.items()})
        if c.measure is not None:
            t["measure"] = c.measure
        t.update({k: _num(v) for k, v in c.params.items()})
        if c.transform is not None:
            tr: dict[str, Any] = {"kind": c.transform.kind}
            if c.transform.best is not None:
                tr["best"] = _num(c.transform.best)
            if c.transform.worst is not None:
                tr["worst"] = _num(c.transform.worst)
            if c.transform.points:
                tr["points"] = [[_num(a), _num(b)] for a, b in c.transform.points]
            t["transform"] = tr
        table_rules: list[dict[str, Any]] = []
        for rule in c.rules:
            value: Any = (
                [_num(x) for x in rule.value] if isinstance(rule.value, tuple) else _num(rule.value)
            )
            if rule.key.startswith("exclude["):
                entry: dict[str, Any] = {} if rule.measure is None else {"measure": rule.measure}
                entry[rule.op] = value
                table_rules.append(entry)
            else:
                t[rule.key or f"exclude_{rule.op}"] = value
        if table_rules:
            t["exclude"] = table_rules
        crit[c.name] = t
    doc["criteria"] = crit
    if project.weights is not None:
        w: dict[str, Any] = {"method": project.weights.method}
        if project.weights.method == "ahp":
            w["criteria"] = list(project.weights.criteria)
            w["matrix"] = [[_num(x) for x in row] for row in project.weights.matrix]
        if project.weights.force:
            w["force"] = True
        doc["weights"] = w
    if project.sensitivity is not None:
        s = project.sensitivity
        doc["sensitivity"] = {"draws": s.draws, "spread": s.spread, "seed": s.seed}
    if project.map_tiles is not None:
        doc["map"] = {"tiles": project.map_tiles}
    if project.scheduler is not None:
        doc["compute"] = {"scheduler": project.scheduler}
    return doc


def _num(v: Any) -> Any:
    """Write whole floats as integers (``weight = 40``, as users write them)."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    return v


def save_project(project: Project, path: str | Path | None = None) -> Path:
    """Write the project atomically; return the path written."""
    target = Path(path) if path is not None else project.path
    if target is None:
        raise ProjectError("save_project: the project has no path; give one")
    text = tomli_w.dumps(project_to_dict(project))
    atomic_write_bytes(target, text.encode("utf-8"))
    return target
