"""The open project: its file, unsaved changes, layer paths, autosave and crash recovery.

No Qt: the main window owns one :class:`Document` and asks it to load, change and save
the project. Autosaves go to a recovery folder outside the project (a project may sit on a
read-only share); a clean exit removes them, so any left at start-up come from a crash.

A project whose layers are on a network share (``\\\\host\\share\\x.gpkg``) is opened only
if the planner agrees: on Windows, reading such a file connects to that host with the
user's credentials, so a project file from elsewhere could make the app reach any host.
Layers on the share the project file itself is on are not asked about.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from siteassess.atomic import atomic_write_bytes
from siteassess.errors import ProjectError
from siteassess.layers.paths import network_share
from siteassess.project import CriterionSettings, LayerSpec, Project, save_project
from siteassess.project_checks import open_project
from siteassess.ui.i18n_ui import tr

log = logging.getLogger(__name__)

DEFAULT_DEMAND_MW = 700.0


def new_project(name: str) -> Project:
    """An empty project with the criteria at the weights they declare (no layers yet)."""
    from siteassess.criteria import CRITERIA

    criteria = tuple(
        CriterionSettings(name=c.name, weight=c.default_weight)
        for c in CRITERIA.values()
        if c.default_weight > 0
    )
    return Project(name=name, layers=(), criteria=criteria, demand_mw=DEFAULT_DEMAND_MW)


def absolute_layers(project: Project) -> Project:
    """The project with every layer path made absolute."""
    layers = tuple(replace(s, path=str(project.resolve(s))) for s in project.layers)
    tiles = project.tiles_path()
    return replace(project, layers=layers, map_tiles=str(tiles) if tiles else None)


def relative_path(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` when they share a drive (with ``..`` if needed)."""
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:  # another drive on Windows
        return str(path)


def rehome(project: Project, path: Path | None) -> Project:
    """The project saved as ``path``: layer paths re-expressed relative to its folder."""
    absolute = absolute_layers(project)
    if path is None:
        return replace(absolute, path=None)
    folder = path.parent
    layers = tuple(replace(s, path=relative_path(Path(s.path), folder)) for s in absolute.layers)
    tiles = absolute.map_tiles
    tiles = relative_path(Path(tiles), folder) if tiles else None
    return replace(absolute, layers=layers, path=path, map_tiles=tiles)


@dataclass(frozen=True)
class NetworkLayer:
    """A file a project reads from a network share."""

    label: str  # the layer's name, or its role; "[map] tiles" for the background tiles
    path: str  # as the project file writes it
    host: str
    share: str


def network_layers(project: Project) -> tuple[NetworkLayer, ...]:
    """The project's layers (and background tiles) on a network share other than the one
    the project file is on."""
    own = network_share(project.path) if project.path is not None else None
    files = [(spec.name or spec.role, spec.path, project.resolve(spec)) for spec in project.layers]
    if project.map_tiles is not None:
        files.append(("[map] tiles", project.map_tiles, project.tiles_path() or Path()))
    out = []
    for label, written, resolved in files:
        # As written first: on Linux "\\host\share\x" is a relative path to the system.
        share = network_share(written) or network_share(resolved)
        if share is not None and share != own:
            out.append(NetworkLayer(label, written, *share))
    return tuple(out)


ConfirmNetwork = Callable[[Sequence[NetworkLayer]], bool]


class Document:
    """The project being edited, where it is saved and whether it has unsaved changes.

    ``confirm_network`` is asked before a project with layers on a network share is opened
    (see :func:`network_layers`); without it, such a project is not opened.
    """

    def __init__(
        self,
        project: Project | None = None,
        *,
        dirty: bool = False,
        confirm_network: ConfirmNetwork | None = None,
    ) -> None:
        self.project = project
        self.dirty = dirty
        self.confirm_network = confirm_network

    @property
    def path(self) -> Path | None:
        """The project file (None for a project never saved)."""
        return self.project.path if self.project is not None else None

    def load(self, path: str | Path) -> Project:
        """Open a project file (raises :class:`ProjectError` naming the file, also when its
        layers on a network share are not agreed to; the open project is then kept)."""
        project = open_project(path)
        remote = network_layers(project)
        if remote:
            log.info("%s reads %d file(s) on a network share", path, len(remote))
            confirm = self.confirm_network
            if confirm is None or not confirm(remote):
                raise ProjectError(network_refusal(Path(path), remote))
        self.project = project
        self.dirty = False
        return self.project

    def new(self, name: str) -> Project:
        """Start a new, unsaved project."""
        self.project = new_project(name)
        self.dirty = True
        return self.project

    def change(self, project: Project) -> None:
        """Replace the project by an edited copy (marks it unsaved)."""
        self.project = project
        self.dirty = True

    def save(self, path: str | Path | None = None) -> Path:
        """Save atomically (to ``path`` if given, re-basing layer paths on its folder)."""
        if self.project is None:
            raise ProjectError("there is no project to save")
        target = Path(path).resolve() if path is not None else self.path
        if target is None:
            raise ProjectError("the project has never been saved: choose a file name")
        project = rehome(self.project, target)
        save_project(project, target)
        self.project = project
        self.dirty = False
        return target

    def add_layer(self, spec: LayerSpec) -> None:
        """Add a layer (its path absolute or relative to the project's folder)."""
        assert self.project is not None
        if spec.role == "sites" and self.project.layers_of("sites"):
            raise ProjectError(
                "the project already has a sites layer: remove it first (only one layer may "
                'have the role "sites")'
            )
        folder = self.project.folder if self.project.path is not None else None
        path = Path(spec.path)
        if folder is not None and path.is_absolute():
            spec = replace(spec, path=relative_path(path, folder))
        self.change(replace(self.project, layers=(*self.project.layers, spec)))

    def remove_layer(self, index: int) -> None:
        """Remove the layer at ``index``."""
        assert self.project is not None
        layers = tuple(s for i, s in enumerate(self.project.layers) if i != index)
        self.change(replace(self.project, layers=layers))

    def set_layer(self, index: int, spec: LayerSpec) -> None:
        """Replace the layer entry at ``index`` (e.g. with a CRS set)."""
        assert self.project is not None
        layers = list(self.project.layers)
        layers[index] = spec
        self.change(replace(self.project, layers=tuple(layers)))

    def set_params(self, criterion: str, params: Mapping[str, Any]) -> None:
        """Set parameters of one criterion (others keep theirs; None resets to the default)."""
        assert self.project is not None

        def merged(old: Mapping[str, Any]) -> dict[str, Any]:
            # None means "back to the default": the key leaves the project file.
            return {k: v for k, v in {**old, **params}.items() if v is not None}

        crit = tuple(
            replace(c, params=merged(c.params)) if c.name == criterion else c
            for c in self.project.criteria
        )
        self.change(replace(self.project, criteria=crit))


def network_list(layers: Sequence[NetworkLayer]) -> str:
    """One line per file on a share: its layer and its path."""
    return "\n".join(f"• {lyr.label} — {lyr.path}" for lyr in layers)


def network_question(layers: Sequence[NetworkLayer]) -> str:
    """The question asked before the layers on a network share are read."""
    hosts = ", ".join(dict.fromkeys(lyr.host for lyr in layers))
    return tr(
        "This project reads layers on a network share:\n{layers}\n\nReading them connects "
        "this computer to {hosts} (on Windows, with your credentials). Open them?"
    ).format(layers=network_list(layers), hosts=hosts)


def network_refusal(path: Path, layers: Sequence[NetworkLayer]) -> str:
    """Why the project was not opened: its layers on a network share, and what to do."""
    return tr(
        "{file} was not opened: it reads layers on a network share, which you did not "
        "allow:\n{layers}\nCopy these files to a local folder and change their paths in "
        "the project, or open it again and answer yes."
    ).format(file=path, layers=network_list(layers))


@dataclass(frozen=True)
class RecoveryEntry:
    """An autosave left by a session that did not exit cleanly."""

    file: Path
    meta: Path
    original: Path | None
    name: str
    saved: str  # ISO time


class Recovery:
    """Autosaves of this session in ``folder``, and those left by crashed sessions."""

    def __init__(self, folder: Path, pid: int | None = None) -> None:
        self.folder = folder
        self.pid = os.getpid() if pid is None else pid
        self.file = folder / f"autosave-{self.pid}.toml"
        self.meta = folder / f"autosave-{self.pid}.json"

    def write(self, project: Project) -> Path:
        """Save a copy of the project (absolute layer paths) and where it belongs."""
        self.folder.mkdir(parents=True, exist_ok=True)
        copy = replace(absolute_layers(project), path=self.file)
        save_project(copy, self.file)
        meta = {
            "original": str(project.path) if project.path is not None else None,
            "name": project.name,
            "saved": dt.datetime.now().isoformat(timespec="seconds"),
            "pid": self.pid,
        }
        atomic_write_bytes(self.meta, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        log.info("autosaved %s to %s", project.name, self.file)
        return self.file

    def clear(self) -> None:
        """Remove this session's autosave (after a save or a clean exit)."""
        for p in (self.file, self.meta):
            with contextlib.suppress(OSError):
                p.unlink()

    def pending(self) -> list[RecoveryEntry]:
        """Autosaves of other sessions that are no longer running (newest first)."""
        if not self.folder.is_dir():
            return []
        out = []
        for meta in self.folder.glob("autosave-*.json"):
            try:
                data = json.loads(meta.read_text(encoding="utf-8"))
                pid = int(data.get("pid", 0))
            except (OSError, ValueError):
                continue
            toml = meta.with_suffix(".toml")
            if pid == self.pid or _alive(pid) or not toml.is_file():
                continue
            original = data.get("original")
            out.append(
                RecoveryEntry(
                    file=toml,
                    meta=meta,
                    original=Path(original) if original else None,
                    name=str(data.get("name", "")),
                    saved=str(data.get("saved", "")),
                )
            )
        return sorted(out, key=lambda e: e.saved, reverse=True)

    @staticmethod
    def restore(entry: RecoveryEntry) -> Project:
        """The recovered project, put back at its original path (unsaved)."""
        project = open_project(entry.file)
        return rehome(project, entry.original)

    @staticmethod
    def discard(entry: RecoveryEntry) -> None:
        """Delete a recovery entry."""
        for p in (entry.file, entry.meta):
            with contextlib.suppress(OSError):
                p.unlink()


def _alive(pid: int) -> bool:
    """True when a process with this id runs (POSIX; on Windows, assume it does not)."""
    if pid <= 0 or os.name == "nt":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
