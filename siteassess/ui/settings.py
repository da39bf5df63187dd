"""The app's settings and per-user folders: recent projects, language, autosaves, log.

Everything lives under one per-user state folder (``SITEASSESS_STATE_DIR`` overrides it,
which the tests use): ``settings.ini``, ``recovery/`` for autosaves.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 8
SAMPLE_PROJECT = (
    Path(__file__).resolve().parents[2] / "sample_sites" / "hauts-de-france" / "project.toml"
)
RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def state_dir() -> Path:
    """The per-user folder of the app's state (settings, autosaves)."""
    override = os.environ.get("SITEASSESS_STATE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_state_dir

    return Path(user_state_dir("siteassess", appauthor=False))


def recovery_dir() -> Path:
    """Where autosaves go."""
    return state_dir() / "recovery"


def sample_project() -> Path | None:
    """The bundled sample project, when it is installed."""
    return SAMPLE_PROJECT if SAMPLE_PROJECT.is_file() else None


def icon_path(name: str) -> Path:
    """An SVG icon of ``resources/icons``."""
    return RESOURCES / "icons" / f"{name}.svg"


class Settings:
    """Typed access to the settings file."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or state_dir() / "settings.ini"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    def recent(self) -> list[Path]:
        """Recent project files that still exist, newest first."""
        raw = self.qsettings.value("recent", [])
        items: list[str] = [raw] if isinstance(raw, str) else [str(p) for p in (raw or [])]  # type: ignore[attr-defined]
        return [Path(p) for p in items if p and Path(p).is_file()][:MAX_RECENT]

    def add_recent(self, path: Path) -> None:
        """Put ``path`` first in the recent projects."""
        paths = [str(path)] + [str(p) for p in self.recent() if p != path]
        self.qsettings.setValue("recent", paths[:MAX_RECENT])

    def language(self) -> str | None:
        """The language chosen in the menu (None: follow the system)."""
        value = self.qsettings.value("language", "")
        return str(value) if value in ("fr", "en") else None

    def set_language(self, lang: str) -> None:
        """Remember the chosen language."""
        self.qsettings.setValue("language", lang)

    def online_basemap(self) -> bool:
        """Whether the planner turned the online basemap on (off by default)."""
        return str(self.qsettings.value("online_basemap", "false")).lower() == "true"

    def set_online_basemap(self, on: bool) -> None:
        """Remember the basemap choice."""
        self.qsettings.setValue("online_basemap", "true" if on else "false")

    def sync(self) -> None:
        """Write the settings file now."""
        self.qsettings.sync()
